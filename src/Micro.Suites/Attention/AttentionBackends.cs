using Micro.Devices.Cuda;
using Micro.Suites.Attention.Ilgpu;
using Micro.Suites.Attention.Native;
using Micro.Suites.Running;

namespace Micro.Suites.Attention;

/// <summary>One way of running the attention cases on one device.</summary>
public interface IAttentionBackend : IDisposable
{
    string Name { get; }
    string Device { get; }
    string? DeviceId { get; }
    string? Label { get; }
    /// <summary>ILGPU's accelerator type (Cuda, CPU), written as the accelerator parameter; null for native.</summary>
    string? Accelerator { get; }
    int Multiprocessors { get; }
    long? L2Bytes { get; }
    /// <summary>Bytes per Q/O element this backend stores (ILGPU fp32, native 16-bit).</summary>
    int QoBytes { get; }
    /// <summary>Null when the backend has no kernel for the case.</summary>
    string? Unsupported(AttentionCase c);
    IMeasuredOperation Create(AttentionCase c, SplitPlan? split, ulong seed, int maxCheckedRows);
}

public sealed class IlgpuAttentionBackend(IlgpuHost host) : IAttentionBackend
{
    public string Name => AttentionSuite.IlgpuBackend;
    public string? Accelerator => host.Accelerator.AcceleratorType.ToString();
    public string Device => host.DeviceName;
    public string? DeviceId => null;
    public string? Label => host.IsCuda ? null : "emulator, not a ceiling";
    public int Multiprocessors => host.Accelerator.NumMultiprocessors;
    public long? L2Bytes => host.IsCuda ? (host.Accelerator as ILGPU.Runtime.Cuda.CudaAccelerator)?.Device.L2CacheSize : null;
    public int QoBytes => 4;

    public string? Unsupported(AttentionCase c) => c.Kind switch
    {
        AttentionKernel.Decode when c.Decode!.HeadDim is not (32 or 64 or 128) => $"ILGPU decode needs head dim 32/64/128, not {c.Decode.HeadDim}",
        AttentionKernel.Decode when c.Decode!.Group > DecodeKernels.MaxWarps => $"ILGPU decode supports GQA groups up to {DecodeKernels.MaxWarps}",
        AttentionKernel.Prefill when c.Prefill!.HeadDim is not (32 or 64 or 96 or 128) => $"ILGPU prefill needs head dim <= 128 in steps of 32, not {c.Prefill.HeadDim}",
        _ => null,
    };

    public IMeasuredOperation Create(AttentionCase c, SplitPlan? split, ulong seed, int maxCheckedRows) => c.Kind switch
    {
        AttentionKernel.Decode => new IlgpuDecodeOperation(host, c.Decode!, split!, seed, maxCheckedRows),
        AttentionKernel.Mla => new IlgpuMlaOperation(host, c.Mla!, split!, seed, maxCheckedRows),
        _ => new IlgpuPrefillOperation(host, c.Prefill!, seed, maxCheckedRows),
    };

    public void Dispose() => host.Dispose();
}

public sealed class NativeAttentionBackend(GpuSession session, Action<string>? note) : IAttentionBackend
{
    public string Name => AttentionSuite.NativeBackend;
    public string? Accelerator => null;
    public string Device => session.Info.Name;
    public string? DeviceId => session.Info.Uuid;
    public string? Label => null;
    public int Multiprocessors => session.Info.ComputeUnits ?? 132;
    public long? L2Bytes => session.Info.LastLevelCacheBytes;
    public int QoBytes => 2;

    public string? Unsupported(AttentionCase c) => c.Kind switch
    {
        AttentionKernel.Decode => NativeDecodeOperation.Unsupported(c.Decode!),
        AttentionKernel.Mla => "no native MLA kernel yet (the ILGPU backend runs MLA)",
        _ => NativePrefillOperation.Unsupported(c.Prefill!),
    };

    public IMeasuredOperation Create(AttentionCase c, SplitPlan? split, ulong seed, int maxCheckedRows) => c.Kind switch
    {
        AttentionKernel.Decode => new NativeDecodeOperation(session, c.Decode!, split!, seed, maxCheckedRows, note),
        _ => new NativePrefillOperation(session, c.Prefill!, seed, maxCheckedRows, note),
    };

    public void Dispose() { }
}
