namespace Micro.Devices.Cuda;

/// <summary>
/// The device's primary context (the one the runtime API and ILGPU share), retained for the lifetime of this object.
/// Driver calls act on the calling thread's current context: call <see cref="Bind"/> on every thread that uses it
/// (the benchmark runner measures on its own worker thread).
/// </summary>
public sealed unsafe class CudaContext : IDisposable
{
    public CudaDevice Device { get; }
    public IntPtr Raw { get; }
    private bool _disposed;

    public CudaContext(CudaDevice device)
    {
        Device = device;
        IntPtr ctx;
        Cu.Check(CudaApi.cuDevicePrimaryCtxRetain(&ctx, device.Raw), "cuDevicePrimaryCtxRetain");
        Raw = ctx;
        Bind();
    }

    public void Bind() => Cu.Check(CudaApi.cuCtxSetCurrent(Raw), "cuCtxSetCurrent");

    public void Synchronize() => Cu.Check(CudaApi.cuCtxSynchronize(), "cuCtxSynchronize");

    public (long Free, long Total) MemoryInfo()
    {
        Bind();
        nuint free, total;
        Cu.Check(CudaApi.cuMemGetInfo_v2(&free, &total), "cuMemGetInfo_v2");
        return ((long)free, (long)total);
    }

    public DeviceMemory Allocate(long bytes)
    {
        Bind();
        ulong p;
        Cu.Check(CudaApi.cuMemAlloc_v2(&p, (nuint)bytes), $"cuMemAlloc_v2({bytes} bytes)");
        return new DeviceMemory(Raw, p, bytes);
    }

    /// <summary>Page-locked host memory; <paramref name="mapped"/> also maps it into the device address space.</summary>
    public PinnedHostMemory AllocatePinned(long bytes, bool mapped = false)
    {
        Bind();
        IntPtr h;
        var flags = CuConst.MemHostAllocPortable | (mapped ? CuConst.MemHostAllocDeviceMap : 0);
        Cu.Check(CudaApi.cuMemHostAlloc(&h, (nuint)bytes, flags), $"cuMemHostAlloc({bytes} bytes)");
        return new PinnedHostMemory(Raw, h, bytes);
    }

    /// <summary>The device address of mapped pinned memory (for SM copy kernels over PCIe/C2C).</summary>
    public ulong DevicePointerOf(PinnedHostMemory host)
    {
        ulong d;
        Cu.Check(CudaApi.cuMemHostGetDevicePointer_v2(&d, host.Host, 0), "cuMemHostGetDevicePointer_v2");
        return d;
    }

    public CudaStream CreateStream()
    {
        Bind();
        IntPtr s;
        Cu.Check(CudaApi.cuStreamCreate(&s, CuConst.StreamNonBlocking), "cuStreamCreate");
        return new CudaStream(Raw, s);
    }

    public CudaEvent CreateEvent()
    {
        Bind();
        IntPtr e;
        Cu.Check(CudaApi.cuEventCreate(&e, CuConst.EventDefault), "cuEventCreate");
        return new CudaEvent(Raw, e);
    }

    public CudaModule LoadModule(ReadOnlySpan<byte> image)
    {
        Bind();
        IntPtr m;
        // cuModuleLoadData reads a NUL-terminated PTX string or a cubin/fatbin image.
        var copy = new byte[image.Length + 1];
        image.CopyTo(copy);
        fixed (byte* p = copy) Cu.Check(CudaApi.cuModuleLoadData(&m, p), "cuModuleLoadData");
        return new CudaModule(Raw, m);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // Dispose must not throw; a failed release is still said, once, on stderr.
        var rc = CudaApi.cuDevicePrimaryCtxRelease_v2(Device.Raw);
        if (rc != CuConst.Success)
        {
            var (name, text) = Cu.Describe(rc);
            Console.Error.WriteLine($"micro: cuDevicePrimaryCtxRelease(device {Device.Raw}) failed: {name}: {text}");
        }
    }
}
