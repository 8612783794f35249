namespace Micro.Core.Statistics;

public static class Stats
{
    /// <summary>Percentile by linear interpolation between closest ranks (numpy's default, as vLLM uses).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) throw new ArgumentException("no samples", nameof(sorted));
        if (p is < 0 or > 100 || double.IsNaN(p)) throw new ArgumentOutOfRangeException(nameof(p), p, "percentile must be in [0, 100]");
        if (sorted.Count == 1) return sorted[0];
        var rank = p / 100.0 * (sorted.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        var frac = rank - lo;
        return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
    }

    public static double Median(IReadOnlyList<double> samples)
    {
        var s = samples.ToArray();
        Array.Sort(s);
        return Percentile(s, 50);
    }

    /// <summary>Median absolute deviation (unscaled).</summary>
    public static double Mad(IReadOnlyList<double> samples)
    {
        var m = Median(samples);
        return Median(samples.Select(x => Math.Abs(x - m)).ToArray());
    }

    public static SampleSummary Summarize(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("no samples to summarize", nameof(samples));
        foreach (var x in samples)
            if (!double.IsFinite(x)) throw new ArgumentException($"sample {x} is not finite", nameof(samples));
        var s = samples.ToArray();
        Array.Sort(s);
        var mean = s.Average();
        // Sample standard deviation (n-1), 0 for a single sample.
        var sd = s.Length > 1 ? Math.Sqrt(s.Sum(x => (x - mean) * (x - mean)) / (s.Length - 1)) : 0;
        return new SampleSummary(s.Length, Percentile(s, 50), mean, s[0], s[^1], Percentile(s, 99), sd, mean != 0 ? sd / mean : 0);
    }
}
