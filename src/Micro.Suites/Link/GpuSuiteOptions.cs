namespace Micro.Suites.Link;

/// <summary>What every native GPU suite (link, gemm, launch) is told: which CUDA device.</summary>
public abstract record GpuSuiteOptions
{
    /// <summary>CUDA device ordinal, 0..<see cref="MaxDevice"/>.</summary>
    public int Device { get; init; }
    public const int MaxDevice = 1023;
}

/// <summary>`micro link`: the device and, optionally, one transfer size instead of the sweep.</summary>
public sealed record LinkOptions : GpuSuiteOptions
{
    /// <summary>Only this transfer size in bytes (null: the sweep).</summary>
    public long? SizeBytes { get; init; }
}

/// <summary>`micro launch`: the device only.</summary>
public sealed record LaunchOptions : GpuSuiteOptions;
