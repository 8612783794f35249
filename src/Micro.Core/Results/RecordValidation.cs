using Micro.Core.Statistics;

namespace Micro.Core.Results;

/// <summary>
/// What a result record read from an untrusted results.jsonl must hold beyond its JSON shape (JsonShape checks nulls and
/// finiteness; PointValidation the typed point): counts, bytes and times not negative, and a time summary that does not
/// contradict itself (min <= median, mean, p99 <= max). An unknown figure (null, read as NaN) is not checked.
/// </summary>
public static class RecordValidation
{
    /// <summary>(field, reason) of the first problem, or null when the record is usable.</summary>
    public static (string Field, string Reason)? Problem(MeasurementRecord r)
    {
        if (r.Bytes < 0) return ("bytes", $"{r.Bytes} is negative");
        if (r.Flops < 0) return ("flops", $"{r.Flops} is negative");
        if (r.Warmup < 0) return ("warmup", $"{r.Warmup} is negative");
        if (r.Verification.Checked < 0 || r.Verification.Wrong < 0) return ("verification", "checked and wrong must not be negative");
        if (Summary(r.Time, "time") is { } t) return t;
        if (r.Bandwidth is { } bw && Rates(bw, "bandwidth") is { } b) return b;
        if (r.Compute is { } c && Rates(c, "compute") is { } cp) return cp;
        return null;
    }

    private static (string, string)? Summary(SampleSummary s, string at)
    {
        if (s.Count < 0) return ($"{at}.count", $"{s.Count} is negative");
        foreach (var (name, v) in new[] { ("median", s.Median), ("mean", s.Mean), ("min", s.Min), ("max", s.Max), ("p99", s.P99), ("std_dev", s.StdDev), ("cv", s.Cv) })
            if (v < 0) return ($"{at}.{name}", $"{v} is negative; a time or its spread is not");
        if (s.Min > s.Max) return ($"{at}.min", $"{s.Min} is above max {s.Max}");
        foreach (var (name, v) in new[] { ("median", s.Median), ("mean", s.Mean), ("p99", s.P99) })
            if (v < s.Min * (1 - Tolerance) || v > s.Max * (1 + Tolerance)) return ($"{at}.{name}", $"{v} is outside min {s.Min} .. max {s.Max}");
        return null;
    }

    private static (string, string)? Rates(Throughput t, string at)
    {
        foreach (var (name, v) in new[] { ("median", t.Median), ("best", t.Best), ("worst", t.Worst) })
            if (v < 0) return ($"{at}.{name}", $"{v} is negative");
        return null;
    }

    /// <summary>Room for the rounding of a figure printed by another tool and imported (BabelStream's 5 decimals).</summary>
    private const double Tolerance = 1e-6;
}
