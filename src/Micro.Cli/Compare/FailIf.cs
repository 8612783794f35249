using System.Globalization;
using System.Text.RegularExpressions;

namespace Micro.Cli.Compare;

/// <summary>
/// A `--fail-if` threshold for CI: "METRIC&lt;-5%" is crossed when B is more than 5% below A, "METRIC&gt;+5%" when B is
/// more than 5% above A (the change is (B - A) / |A|). Every figure of that metric in the comparison is checked.
/// </summary>
public sealed partial record FailIf(string Text, string Metric, bool Below, double Percent)
{
    public static FailIf Parse(string text)
    {
        var m = Syntax().Match(text);
        if (!m.Success)
            throw new UsageException($"--fail-if '{text}': not METRIC<-N% or METRIC>+N% (e.g. \"output_throughput<-5%\", \"launch_latency>+10%\")");
        var percent = double.Parse(m.Groups["pct"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(percent) || Math.Abs(percent) > 1e6) throw new UsageException($"--fail-if '{text}': {m.Groups["pct"].Value}% is out of range");
        return new FailIf(text.Trim(), m.Groups["metric"].Value, m.Groups["op"].Value == "<", percent);
    }

    /// <summary>True when this figure is of the metric and its change crosses the threshold.</summary>
    public bool CrossedBy(ComparedFigure f) =>
        string.Equals(f.Metric, Metric, StringComparison.OrdinalIgnoreCase) && f.ChangePercent is { } change && (Below ? change < Percent : change > Percent);

    public bool Names(ComparedFigure f) => string.Equals(f.Metric, Metric, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^\s*(?<metric>[A-Za-z0-9_.\-/]+)\s*(?<op>[<>])\s*(?<pct>[+-]?\d+(\.\d+)?)\s*%\s*$")]
    private static partial Regex Syntax();
}
