using Micro.Core.Results;
using Micro.Core.Statistics;
using Micro.Suites.Running;

namespace Micro.Suites.Fleet;

/// <summary>
/// TEST ONLY (`--test-slow-rank R --test-slow-factor F`): multiplies every time this rank measured by F (and
/// divides its rates by F) before the record is written, so a fleet test has one deterministically slow rank
/// whatever the noise of the machine. Every record it touches says so in its label.
/// </summary>
public sealed class SlowedSink(IResultSink inner, double factor) : IResultSink
{
    public const string LabelNote = "TEST: times multiplied by --test-slow-factor";

    public double Factor { get; } = factor is > 0 and < 1000 && double.IsFinite(factor) ? factor : throw new ArgumentOutOfRangeException(nameof(factor), factor, "slow factor must be in (0, 1000)");

    public void Add(MeasurementRecord record) => inner.Add(Slow(record, Factor));

    public static MeasurementRecord Slow(MeasurementRecord r, double f) => r with
    {
        Time = new SampleSummary(r.Time.Count, r.Time.Median * f, r.Time.Mean * f, r.Time.Min * f, r.Time.Max * f, r.Time.P99 * f, r.Time.StdDev * f, r.Time.Cv),
        Bandwidth = r.Bandwidth is { } b ? b with { Median = b.Median / f, Best = b.Best / f, Worst = b.Worst / f } : null,
        Compute = r.Compute is { } c ? c with { Median = c.Median / f, Best = c.Best / f, Worst = c.Worst / f } : null,
        Label = string.IsNullOrEmpty(r.Label) ? $"{LabelNote} {f:0.###}" : $"{r.Label}; {LabelNote} {f:0.###}",
    };
}
