using Micro.Devices.Cuda;

namespace Micro.Suites.Attention.Native;

/// <summary>Device copies of host tensors for the native kernels, and 16-bit NaN poisoning of outputs.</summary>
internal static class NativeBuffers
{
    public static DeviceMemory Upload(CudaContext ctx, HostTensor t)
    {
        if (t.H is null) throw new ArgumentException("the native attention kernels take 16-bit (bf16/fp16) tensors");
        var m = ctx.Allocate(t.Length * 2);
        CudaCopy.HostToDevice<ushort>(m, t.H);
        return m;
    }

    public static DeviceMemory Upload(CudaContext ctx, int[] values)
    {
        var m = ctx.Allocate(values.Length * 4L);
        CudaCopy.HostToDevice<int>(m, values);
        return m;
    }

    /// <summary>Fills a 16-bit buffer with quiet NaNs of the type (bf16 0x7FC0, fp16 0x7E00) so unwritten elements show.</summary>
    public static void Poison(DeviceMemory m, KvDType type, CudaStream stream)
    {
        uint nan = type == KvDType.Bf16 ? 0x7FC0u : 0x7E00u;
        CudaCopy.Fill32Async(m, nan | (nan << 16), stream);
        stream.Synchronize();
    }

    public static ushort[] Download16(DeviceMemory m, long count)
    {
        var host = new ushort[count];
        CudaCopy.DeviceToHost<ushort>(host, m);
        return host;
    }

    public static string Suffix(KvDType t) => t switch
    {
        KvDType.Bf16 => "bf16",
        KvDType.Fp16 => "fp16",
        _ => throw new ArgumentException("the native attention kernels take bf16 or fp16"),
    };
}
