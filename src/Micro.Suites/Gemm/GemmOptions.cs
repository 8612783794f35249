using Micro.Suites.Link;

namespace Micro.Suites.Gemm;

/// <summary>`micro gemm`: the device and the precisions (null: every one of <see cref="GemmDType.All"/>).</summary>
public sealed record GemmOptions : GpuSuiteOptions
{
    public IReadOnlySet<string>? DTypes { get; init; }
}
