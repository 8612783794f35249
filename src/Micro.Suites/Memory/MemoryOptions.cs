namespace Micro.Suites.Memory;

/// <summary>The memory suite's own options, bound by `micro memory` (defaults: what `micro run` measures).</summary>
public sealed record MemoryOptions
{
    public IReadOnlyList<StreamKernel> Kernels { get; init; } = StreamCases.All.Select(c => c.Kernel).ToArray();
    public IReadOnlyList<StreamDType> DTypes { get; init; } = StreamDTypes.All.ToArray();
    /// <summary>Working set of the three arrays in bytes (null: the default sweep).</summary>
    public long? SizeBytes { get; init; }
    /// <summary>Working set as a fraction of device memory, (0, 0.95] (null: the default sweep).</summary>
    public double? SizeFraction { get; init; }
    /// <summary>The native backend's launch configuration: "tune" or a fixed one (NativeStreamConfig.Parse).</summary>
    public string NativeConfig { get; init; } = Backends.NativeStreamConfig.Tune;
}
