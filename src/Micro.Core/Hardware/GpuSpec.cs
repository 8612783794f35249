namespace Micro.Core.Hardware;

/// <summary>
/// Datasheet figures of one accelerator (dense rates, no sparsity; decimal units: GB/s, TFLOP/s, MB).
/// Null where the vendor does not state a figure. These are leads; Micro's measured ceilings replace them.
/// </summary>
public sealed record GpuSpec
{
    public required string Key { get; init; }
    public required string DisplayName { get; init; }
    public required string Vendor { get; init; }
    /// <summary>Lower-case substrings of device names (nvidia-smi / driver) that identify this part.</summary>
    public required IReadOnlyList<string> NamePatterns { get; init; }
    public required double MemoryGB { get; init; }
    /// <summary>Device memory as the driver reports it (nvidia-smi's total, decimal GB), where a source states it: the
    /// marketed figure is often GiB (an H100's "80GB" is 85.9 GB), and vLLM's gpu_memory_utilization is a share of this.</summary>
    public double? DeviceMemoryGB { get; init; }
    public string? DeviceMemorySource { get; init; }
    public required double MemoryBandwidthGBps { get; init; }
    public double? L2MB { get; init; }
    public double? Bf16Tflops { get; init; }
    public double? Fp16Tflops { get; init; }
    public double? Fp8Tflops { get; init; }
    public double? Fp4Tflops { get; init; }
    public double? Tf32Tflops { get; init; }
    public double? Fp32Tflops { get; init; }
    /// <summary>Scale-up interconnect (NVLink / Infinity Fabric), total bidirectional GB/s per GPU as the vendor states it.</summary>
    public double? InterconnectGBps { get; init; }
    /// <summary>How many GPUs that interconnect joins; null where the part has none (PCIe only).</summary>
    public ScaleUpDomain? ScaleUp { get; init; }
    /// <summary>Host link, per direction GB/s.</summary>
    public double? HostLinkGBps { get; init; }
    public string? HostLink { get; init; }
    public required string Source { get; init; }
}
