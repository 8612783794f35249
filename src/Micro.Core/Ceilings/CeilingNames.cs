namespace Micro.Core.Ceilings;

/// <summary>Well-known ceiling names shared by the suites (writers) and the end-to-end module (readers).</summary>
public static class CeilingNames
{
    public const string MemoryBandwidth = "memory_bandwidth";
    public const string HostMemoryBandwidth = "host_memory_bandwidth";
    public const string GemmBf16 = "gemm_bf16";
    public const string GemmFp16 = "gemm_fp16";
    public const string GemmFp8 = "gemm_fp8";
    public const string GemmTf32 = "gemm_tf32";
    public const string GemmFp32 = "gemm_fp32";
    public const string H2DPinned = "h2d_pinned";
    public const string D2HPinned = "d2h_pinned";
    public const string D2D = "d2d_copy";
    public const string LaunchLatency = "launch_latency";
    public const string CollectiveBusBw = "collective_busbw";
    public const string CollectiveLatency = "collective_latency";
}
