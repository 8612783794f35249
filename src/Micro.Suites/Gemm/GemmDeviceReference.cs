using Micro.Devices.Cuda;

namespace Micro.Suites.Gemm;

/// <summary>
/// The device reference (kernels/gemm_reference.cu): sampled outputs recomputed on the GPU with fp32 accumulation in
/// k order from the very operands the library read, scaled by the fp8 per-tensor scales, with sum|a*b| for the tolerance.
/// </summary>
public static class GemmDeviceReference
{
    public const string Kernel = "gemm_reference.cu";

    public static (float[] Ref, float[] AbsSum) Compute(GpuSession session, CudaStream stream, GemmCase c, ulong a, ulong b,
        IReadOnlyList<(int Row, int Col)> samples, float scale)
    {
        var count = samples.Count;
        using var rows = session.Context.Allocate(count * 4L);
        using var cols = session.Context.Allocate(count * 4L);
        using var refs = session.Context.Allocate(count * 4L);
        using var abs = session.Context.Allocate(count * 4L);
        CudaCopy.HostToDevice<int>(rows, samples.Select(s => s.Row).ToArray());
        CudaCopy.HostToDevice<int>(cols, samples.Select(s => s.Col).ToArray());
        var (colStride, kStride) = c.Layout == "TN" ? ((ulong)c.K, 1UL) : (1UL, (ulong)c.N);
        var fn = session.Module(Kernel).Function("micro_gemm_reference");
        using var args = new KernelArgs(12)
            .Pointer(a).Pointer(b).Pointer(rows).Pointer(cols).I32(count).I32(c.K)
            .U64(colStride).U64(kStride).I32(c.DType.ReferenceCode).F32(scale).Pointer(refs).Pointer(abs);
        const uint block = 128;
        fn.Launch((uint)((count + block - 1) / block), block, stream, args);
        stream.Synchronize();
        var r = new float[count];
        var s = new float[count];
        CudaCopy.DeviceToHost<float>(r, refs);
        CudaCopy.DeviceToHost<float>(s, abs);
        return (r, s);
    }
}
