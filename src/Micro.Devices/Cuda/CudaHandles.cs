using Microsoft.Win32.SafeHandles;

namespace Micro.Devices.Cuda;

/// <summary>
/// Base of every driver resource handle: remembers the context it belongs to and makes it current before
/// releasing, because a finalizer or another thread may be the one that frees it.
/// </summary>
public abstract class CudaContextBoundHandle(IntPtr context) : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected IntPtr Context { get; } = context;

    protected sealed override bool ReleaseHandle()
    {
        if (CudaApi.cuCtxSetCurrent(Context) != CuConst.Success) return false;
        return Release() == CuConst.Success;
    }

    /// <summary>Frees the resource; returns the CUresult.</summary>
    protected abstract int Release();
}

/// <summary>A cuMemAlloc allocation.</summary>
public sealed class DeviceMemory : CudaContextBoundHandle
{
    public long Bytes { get; }
    public ulong Pointer => (ulong)handle;

    internal DeviceMemory(IntPtr context, ulong pointer, long bytes) : base(context)
    {
        SetHandle((IntPtr)(long)pointer);
        Bytes = bytes;
    }

    protected override int Release() => CudaApi.cuMemFree_v2((ulong)handle);
}

/// <summary>A cuMemHostAlloc (page-locked) allocation, optionally mapped into the device address space.</summary>
public sealed class PinnedHostMemory : CudaContextBoundHandle
{
    public long Bytes { get; }
    public IntPtr Host => handle;

    internal PinnedHostMemory(IntPtr context, IntPtr host, long bytes) : base(context)
    {
        SetHandle(host);
        Bytes = bytes;
    }

    public unsafe Span<T> AsSpan<T>() where T : unmanaged => new((void*)handle, checked((int)(Bytes / sizeof(T))));

    protected override int Release() => CudaApi.cuMemFreeHost(handle);
}

public sealed class CudaStream : CudaContextBoundHandle
{
    internal CudaStream(IntPtr context, IntPtr stream) : base(context) => SetHandle(stream);
    public IntPtr Raw => handle;
    public void Synchronize() => Cu.Check(CudaApi.cuStreamSynchronize(handle), "cuStreamSynchronize");
    /// <summary>Work queued on this stream after this call waits for <paramref name="ev"/>.</summary>
    public void WaitEvent(CudaEvent ev) => Cu.Check(CudaApi.cuStreamWaitEvent(handle, ev.Raw, 0), "cuStreamWaitEvent");
    protected override int Release() => CudaApi.cuStreamDestroy_v2(handle);
}

public sealed class CudaEvent : CudaContextBoundHandle
{
    internal CudaEvent(IntPtr context, IntPtr ev) : base(context) => SetHandle(ev);
    public IntPtr Raw => handle;
    public void Record(CudaStream stream) => Cu.Check(CudaApi.cuEventRecord(handle, stream.Raw), "cuEventRecord");
    public void Synchronize() => Cu.Check(CudaApi.cuEventSynchronize(handle), "cuEventSynchronize");

    /// <summary>Seconds from <paramref name="start"/> to this event (cuEventElapsedTime, ~0.5 us resolution).</summary>
    public unsafe double SecondsSince(CudaEvent start)
    {
        float ms;
        Cu.Check(CudaApi.cuEventElapsedTime(&ms, start.Raw, handle), "cuEventElapsedTime");
        return ms / 1e3;
    }

    protected override int Release() => CudaApi.cuEventDestroy_v2(handle);
}

public sealed class CudaModule : CudaContextBoundHandle
{
    internal CudaModule(IntPtr context, IntPtr module) : base(context) => SetHandle(module);

    public unsafe CudaFunction Function(string name)
    {
        IntPtr f;
        var bytes = System.Text.Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* p = bytes) Cu.Check(CudaApi.cuModuleGetFunction(&f, handle, p), $"cuModuleGetFunction({name})");
        return new CudaFunction(f, name);
    }

    protected override int Release() => CudaApi.cuModuleUnload(handle);
}

/// <summary>An instantiated CUDA graph (cuGraphInstantiateWithFlags); owns the graph it came from.</summary>
public sealed class CudaGraphExec : CudaContextBoundHandle
{
    private readonly IntPtr _graph;
    internal CudaGraphExec(IntPtr context, IntPtr exec, IntPtr graph) : base(context)
    {
        SetHandle(exec);
        _graph = graph;
    }

    public void Launch(CudaStream stream) => Cu.Check(CudaApi.cuGraphLaunch(handle, stream.Raw), "cuGraphLaunch");

    protected override int Release()
    {
        var r = CudaApi.cuGraphExecDestroy(handle);
        var g = CudaApi.cuGraphDestroy(_graph);
        return r != CuConst.Success ? r : g;
    }
}
