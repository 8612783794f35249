using System.Globalization;
using System.Text.RegularExpressions;
using Micro.Core.Results;
using Micro.EndToEnd.Ingest;

namespace Micro.EndToEnd.Metrics;

/// <summary>One latency objective: "p99:tpot&lt;=20ms" = the 99th percentile of TPOT at most 20 ms.</summary>
public sealed partial record SloSpec(string Stat, string Metric, double ThresholdMs)
{
    public string Text => $"{Stat}:{Metric}<={ThresholdMs.ToString("0.###", CultureInfo.InvariantCulture)}ms";

    public static SloSpec Parse(string text)
    {
        var m = Grammar().Match(text.Trim());
        if (!m.Success)
            throw new InputException("--slo", text, "expected STAT:METRIC<=VALUE(ms|s), e.g. \"p99:tpot<=20ms\" or \"p95:e2el<=800ms\"");
        var stat = m.Groups["stat"].Value.ToLowerInvariant();
        var metric = m.Groups["metric"].Value.ToLowerInvariant();
        if (Array.IndexOf(StatedMetricKey.Metrics, metric) < 0)
            throw new InputException("--slo", text, $"unknown SLO metric '{metric}' (known: {string.Join(", ", StatedMetricKey.Metrics)})");
        string canonical;
        if (stat is "mean" or "median") canonical = stat;
        else
        {
            var p = StatedMetricKey.PercentileOf(stat);
            if (p is null or < 0 or > 100) throw new InputException("--slo", text, $"unknown statistic '{stat}' (use mean, median or pNN such as p99.9)");
            canonical = StatedMetricKey.StatName(p.Value);
        }
        var value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        var ms = m.Groups["unit"].Value.ToLowerInvariant() == "s" ? value * 1000 : value;
        if (!double.IsFinite(ms) || ms <= 0) throw new InputException("--slo", text, "threshold must be a positive number");
        return new SloSpec(canonical, metric, ms);
    }

    [GeneratedRegex(@"^(?<stat>[A-Za-z]+[0-9.]*)\s*:\s*(?<metric>[A-Za-z0-9_]+)\s*<=\s*(?<value>[0-9]+(\.[0-9]+)?)\s*(?<unit>ms|s)$")]
    private static partial Regex Grammar();
}
