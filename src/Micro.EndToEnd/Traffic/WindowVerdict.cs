using Micro.EndToEnd.Metrics;
using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Traffic;

/// <summary>
/// The SLO verdict of a replay judged window by window: every objective must hold in every window that served a
/// request (ITL objectives, not kept per window, on the whole replay), and the worst window is the one whose worst
/// objective is furthest past its threshold.
/// </summary>
public sealed record WindowVerdict(double WindowSeconds, int Windows, bool Meets, IReadOnlyList<string> Missed, double WorstStart, double WorstEnd,
    IReadOnlyList<(SloSpec Slo, double Value)> WorstValues, int WorstCompleted)
{
    public static WindowVerdict Of(SimulationResult sim, IReadOnlyList<SloSpec> slos, double windowSeconds)
    {
        var windows = sim.Windows(windowSeconds);
        double Stat(SimulationWindow w, string metric, string stat) => metric == "itl" ? sim.Stat(metric, stat) : w.Stat(metric, stat);
        var served = windows.Where(w => w.Completed > 0).ToList();
        var missed = new List<string>();
        foreach (var w in served)
            foreach (var m in SloJudge.Missed(slos, (metric, stat) => Stat(w, metric, stat)))
                if (!missed.Contains(m)) missed.Add(m);
        var worst = served.Count == 0 ? null : served.MaxBy(w => SloJudge.WorstRatio(slos, (metric, stat) => Stat(w, metric, stat)));
        return new WindowVerdict(windowSeconds, windows.Count, missed.Count == 0, missed, worst?.Start ?? 0, worst?.End ?? 0,
            worst is null ? [] : [.. slos.Select(s => (s, Stat(worst, s.Metric, s.Stat)))], worst?.Completed ?? 0);
    }
}
