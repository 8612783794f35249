using Micro.EndToEnd.Ingest;

namespace Micro.EndToEnd.Metrics;

/// <summary>A figure the file states that its own per-request arrays do not reproduce within the tolerance.</summary>
public sealed record Discrepancy(string Field, double Stated, double Recomputed)
{
    public double RelativeDifference => Stated == 0 ? (Recomputed == 0 ? 0 : double.PositiveInfinity) : Math.Abs(Recomputed - Stated) / Math.Abs(Stated);

    /// <summary>0.1%: vLLM writes its figures from the same arrays, so anything beyond rounding is a real mismatch.</summary>
    public const double Tolerance = 0.001;

    public static IReadOnlyList<Discrepancy> Find(BenchmarkPoint p, RecomputedMetrics m)
    {
        var list = new List<Discrepancy>();
        void Check(string field, double stated, double recomputed)
        {
            var d = new Discrepancy(field, stated, recomputed);
            if (d.RelativeDifference > Tolerance) list.Add(d);
        }
        foreach (var ((metric, stat), stated) in p.StatedMs.OrderBy(k => k.Key.Metric, StringComparer.Ordinal).ThenBy(k => k.Key.Stat, StringComparer.Ordinal))
            if (m.Get(metric, stat) is { } r) Check($"{stat}_{metric}_ms", stated, r);
        Check("completed", p.Completed, m.Successful);
        if (p.Failed is { } f) Check("failed", f, m.Failed);
        Check("total_output_tokens", p.TotalOutputTokens, m.OutputTokens);
        Check("total_input_tokens", p.TotalInputTokens, m.InputTokens);
        Check("output_throughput", p.OutputThroughput, m.OutputTokens / p.Duration);
        Check("request_throughput", p.RequestThroughput, m.Successful / p.Duration);
        return list;
    }
}
