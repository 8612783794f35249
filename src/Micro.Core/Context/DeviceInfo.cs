namespace Micro.Core.Context;

public enum DeviceKind { Gpu, Host, Emulator }

/// <summary>What Micro knows of one device it can measure (a GPU through the driver, the host CPU, an ILGPU accelerator).</summary>
public sealed record DeviceInfo
{
    public required string Name { get; init; }
    public required DeviceKind Kind { get; init; }
    /// <summary>Which API saw it: cuda-driver, nvml, ilgpu-cuda, ilgpu-cpu, host ...</summary>
    public required string Source { get; init; }
    public int Ordinal { get; init; }
    public string? Uuid { get; init; }
    public string? PciBusId { get; init; }
    public long? MemoryBytes { get; init; }
    /// <summary>SMs for NVIDIA, CUs for AMD, logical cores for the host.</summary>
    public int? ComputeUnits { get; init; }
    public int? ClockMHz { get; init; }
    public int? MemoryClockMHz { get; init; }
    public int? MemoryBusWidthBits { get; init; }
    /// <summary>Last-level cache in bytes (L2 on GPUs, L3 on the host).</summary>
    public long? LastLevelCacheBytes { get; init; }
    public string? ComputeCapability { get; init; }
    public string? Driver { get; init; }
    public int? NumaNode { get; init; }
    /// <summary>Theoretical peak bandwidth from memory clock x bus width (GB/s), where the driver tells both.</summary>
    public double? TheoreticalBandwidthGBps { get; init; }
    public string? Note { get; init; }
}
