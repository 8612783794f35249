using System.Globalization;

namespace Micro.EndToEnd.Ingest;

/// <summary>Parses vLLM's latency keys: mean_/median_/std_/pNN_ (NN may be fractional, p99.9) {ttft,tpot,itl,e2el}_ms.</summary>
public static class StatedMetricKey
{
    public static readonly string[] Metrics = ["ttft", "tpot", "itl", "e2el"];

    public static bool TryParse(string key, out (string Metric, string Stat) parsed)
    {
        parsed = default;
        if (!key.EndsWith("_ms", StringComparison.Ordinal)) return false;
        var body = key[..^3];
        var us = body.IndexOf('_');
        if (us <= 0) return false;
        var stat = body[..us];
        var metric = body[(us + 1)..];
        // Some older benchmark_serving.py versions spell e2el as latency.
        if (metric == "latency") metric = "e2el";
        if (Array.IndexOf(Metrics, metric) < 0) return false;
        if (stat is "mean" or "median" or "std") { parsed = (metric, stat); return true; }
        if (stat.Length > 1 && stat[0] == 'p' &&
            double.TryParse(stat[1..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 100)
        {
            parsed = (metric, StatName(p));
            return true;
        }
        return false;
    }

    /// <summary>The canonical statistic name of a percentile: p99, p99.9, p50.</summary>
    public static string StatName(double percentile) => "p" + percentile.ToString("0.###", CultureInfo.InvariantCulture);

    public static double? PercentileOf(string stat) =>
        stat == "median" ? 50 :
        stat.Length > 1 && stat[0] == 'p' && double.TryParse(stat[1..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) ? p : null;
}
