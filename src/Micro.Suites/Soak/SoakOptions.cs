using Micro.Suites.Link;

namespace Micro.Suites.Soak;

/// <summary>`micro run --soak S`: how long each workload runs back to back (0: not at all).</summary>
public sealed record SoakOptions : GpuSuiteOptions
{
    public const double MaxSeconds = 3600;
    public double Seconds { get; init; }
}
