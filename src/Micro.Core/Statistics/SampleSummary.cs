namespace Micro.Core.Statistics;

/// <summary>Summary of repeated timings (seconds) or any sample set: median with spread.</summary>
public sealed record SampleSummary(
    int Count,
    double Median,
    double Mean,
    double Min,
    double Max,
    double P99,
    double StdDev,
    double Cv)
{
    public static SampleSummary Of(IReadOnlyList<double> samples) => Stats.Summarize(samples);
}
