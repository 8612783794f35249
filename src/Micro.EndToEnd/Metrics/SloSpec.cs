using System.Globalization;
using System.Text.RegularExpressions;
using Micro.Core.Results;
using Micro.EndToEnd.Ingest;

namespace Micro.EndToEnd.Metrics;

/// <summary>
/// One latency objective: "p99:tpot&lt;=20ms" = the 99th percentile of TPOT at most 20 ms. Also vLLM's --goodput form
/// "ttft:200" (METRIC:MILLISECONDS): per request, as vLLM counts goodput, and judged for the point at
/// <see cref="GoodputFormStat"/> (its Text says so: "p99:ttft&lt;=200ms"). p50 is the median (vLLM writes median_*).
/// </summary>
public sealed partial record SloSpec(string Stat, string Metric, double ThresholdMs)
{
    /// <summary>The statistic a point is judged at when the objective was given in vLLM's --goodput form.</summary>
    public const string GoodputFormStat = "p99";

    public string Text => $"{Stat}:{Metric}<={ThresholdMs.ToString("0.###", CultureInfo.InvariantCulture)}ms";

    public static SloSpec Parse(string text)
    {
        var goodput = GoodputForm().Match(text.Trim());
        if (goodput.Success) return Parse($"{GoodputFormStat}:{goodput.Groups["metric"].Value}<={goodput.Groups["value"].Value}ms");
        var m = Grammar().Match(text.Trim());
        if (!m.Success)
            throw new InputException("--slo", text, "expected STAT:METRIC<=VALUE(ms|s), e.g. \"p99:tpot<=20ms\" or \"p95:e2el<=800ms\", or vLLM's --goodput form METRIC:MS, e.g. \"ttft:200\"");
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
            // vLLM writes the 50th percentile as median_*: p50 judges that figure.
            canonical = p.Value == 50 ? "median" : StatedMetricKey.StatName(p.Value);
        }
        var value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        var ms = m.Groups["unit"].Value.ToLowerInvariant() == "s" ? value * 1000 : value;
        if (!double.IsFinite(ms) || ms <= 0) throw new InputException("--slo", text, "threshold must be a positive number");
        return new SloSpec(canonical, metric, ms);
    }

    [GeneratedRegex(@"^(?<stat>[A-Za-z]+[0-9.]*)\s*:\s*(?<metric>[A-Za-z0-9_]+)\s*<=\s*(?<value>[0-9]+(\.[0-9]+)?)\s*(?<unit>ms|s)$")]
    private static partial Regex Grammar();

    [GeneratedRegex(@"^(?<metric>[A-Za-z]+)\s*:\s*(?<value>[0-9]+(\.[0-9]+)?)$")]
    private static partial Regex GoodputForm();
}
