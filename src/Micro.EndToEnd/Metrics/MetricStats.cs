using Micro.Core.Statistics;

namespace Micro.EndToEnd.Metrics;

/// <summary>numpy-style statistics of one latency metric in ms: mean, population std (np.std), linear percentiles.</summary>
public sealed record MetricStats(int Count, double Mean, double Std, double[] SortedMs)
{
    public static MetricStats FromSeconds(double[] seconds)
    {
        var ms = new double[seconds.Length];
        double sum = 0;
        for (var i = 0; i < ms.Length; i++) { ms[i] = seconds[i] * 1000; sum += ms[i]; }
        var mean = ms.Length > 0 ? sum / ms.Length : 0;
        double ss = 0;
        foreach (var x in ms) ss += (x - mean) * (x - mean);
        Array.Sort(ms);
        return new MetricStats(ms.Length, mean, ms.Length > 0 ? Math.Sqrt(ss / ms.Length) : 0, ms);
    }

    /// <summary>vLLM reports 0 for an empty metric (np.percentile(x or 0)).</summary>
    public double Percentile(double p) => Count == 0 ? 0 : Stats.Percentile(SortedMs, p);

    public double? Get(string stat) => stat switch
    {
        "mean" => Mean,
        "std" => Std,
        "median" => Percentile(50),
        _ => Ingest.StatedMetricKey.PercentileOf(stat) is { } p ? Percentile(p) : null,
    };
}
