using System.Runtime.InteropServices;

namespace Micro.Devices.Collectives;

/// <summary>Owns a micro_coll_comm*; released with micro_coll_destroy.</summary>
public sealed class CommunicatorHandle : SafeHandle
{
    public CommunicatorHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    internal CommunicatorHandle(IntPtr h) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(h);
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override bool ReleaseHandle() => NativeMethods.Destroy(handle) == 0;
}

/// <summary>A host (MPI) or device (NCCL/RCCL) buffer from micro_coll_alloc; keeps its communicator alive.</summary>
public sealed class CollectiveBuffer : SafeHandle
{
    private readonly CommunicatorHandle _comm;
    private bool _addRef;

    internal CollectiveBuffer(CommunicatorHandle comm, IntPtr ptr, long bytes) : base(IntPtr.Zero, ownsHandle: true)
    {
        _comm = comm;
        _comm.DangerousAddRef(ref _addRef);
        SetHandle(ptr);
        Bytes = bytes;
    }

    public long Bytes { get; }
    public IntPtr Pointer => DangerousGetHandle();

    /// <summary>As <see cref="Communicator.Abandon"/>: a thread abandoned by the watchdog may still read or write it, so it is never freed.</summary>
    public void Abandon() => SetHandleAsInvalid();
    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        var ok = NativeMethods.Free(_comm.DangerousGetHandle(), handle) == 0;
        if (_addRef) _comm.DangerousRelease();
        return ok;
    }
}
