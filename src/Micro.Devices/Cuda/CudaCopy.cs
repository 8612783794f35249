namespace Micro.Devices.Cuda;

/// <summary>Memory copies and fills (copy engine paths), each checked.</summary>
public static unsafe class CudaCopy
{
    public static void HostToDevice<T>(DeviceMemory dst, ReadOnlySpan<T> src) where T : unmanaged
    {
        var bytes = (nuint)(src.Length * sizeof(T));
        if ((long)bytes > dst.Bytes) throw new ArgumentException("source larger than the device buffer");
        fixed (T* p = src) Cu.Check(CudaApi.cuMemcpyHtoD_v2(dst.Pointer, p, bytes), "cuMemcpyHtoD_v2");
    }

    public static void DeviceToHost<T>(Span<T> dst, DeviceMemory src) where T : unmanaged
    {
        var bytes = (nuint)(dst.Length * sizeof(T));
        if ((long)bytes > src.Bytes) throw new ArgumentException("destination larger than the device buffer");
        fixed (T* p = dst) Cu.Check(CudaApi.cuMemcpyDtoH_v2(p, src.Pointer, bytes), "cuMemcpyDtoH_v2");
    }

    public static void HostToDeviceAsync(ulong dst, IntPtr src, long bytes, CudaStream stream) =>
        Cu.Check(CudaApi.cuMemcpyHtoDAsync_v2(dst, (void*)src, (nuint)bytes, stream.Raw), "cuMemcpyHtoDAsync_v2");

    public static void DeviceToHostAsync(IntPtr dst, ulong src, long bytes, CudaStream stream) =>
        Cu.Check(CudaApi.cuMemcpyDtoHAsync_v2((void*)dst, src, (nuint)bytes, stream.Raw), "cuMemcpyDtoHAsync_v2");

    public static void DeviceToDeviceAsync(ulong dst, ulong src, long bytes, CudaStream stream) =>
        Cu.Check(CudaApi.cuMemcpyDtoDAsync_v2(dst, src, (nuint)bytes, stream.Raw), "cuMemcpyDtoDAsync_v2");

    public static void Fill32Async(DeviceMemory dst, uint value, CudaStream stream) =>
        Cu.Check(CudaApi.cuMemsetD32Async(dst.Pointer, value, (nuint)(dst.Bytes / 4), stream.Raw), "cuMemsetD32Async");
}
