namespace Micro.EndToEnd.Metrics;

/// <summary>
/// The one SLO judge: an objective is met when its statistic, over the requests it is judged on, is at most its
/// threshold. Over a replay cut into windows, each objective is judged on every window that served a request, and the
/// worst window (the largest statistic over threshold) is what the verdict reports.
/// </summary>
public static class SloJudge
{
    /// <summary>The objectives missed, given how to read a statistic ("p95", "ttft") in ms.</summary>
    public static IReadOnlyList<string> Missed(IReadOnlyList<SloSpec> slos, Func<string, string, double> stat) =>
        [.. slos.Where(s => stat(s.Metric, s.Stat) > s.ThresholdMs).Select(s => s.Text)];

    /// <summary>How far past its threshold the worst objective is (1 = exactly at it).</summary>
    public static double WorstRatio(IReadOnlyList<SloSpec> slos, Func<string, string, double> stat) =>
        slos.Count == 0 ? 0 : slos.Max(s => stat(s.Metric, s.Stat) / s.ThresholdMs);
}
