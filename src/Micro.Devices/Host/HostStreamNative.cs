using System.Runtime.InteropServices;
using Micro.Devices.Native;

namespace Micro.Devices.Host;

/// <summary>P/Invoke surface of native/hoststream (libmicro_hoststream.so); see hoststream.h for the contract.</summary>
internal static partial class HostStreamNative
{
    public const string Library = NativeLibraries.HostStream;

    static HostStreamNative() => NativeLibraries.EnsureRegistered();
    public const int AbiVersion = 1;

    [LibraryImport(Library, EntryPoint = "micro_hs_abi_version")]
    internal static partial int AbiVersionOf();

    [LibraryImport(Library, EntryPoint = "micro_hs_threads")]
    internal static partial int Threads();

    [LibraryImport(Library, EntryPoint = "micro_hs_create")]
    internal static partial HostStreamHandle Create(long n, int elemSize);

    [LibraryImport(Library, EntryPoint = "micro_hs_init")]
    internal static partial void Init(HostStreamHandle s, double a0, double b0, double c0);

    [LibraryImport(Library, EntryPoint = "micro_hs_run")]
    internal static partial double Run(HostStreamHandle s, int kernel, double scalar, out double sum);

    [LibraryImport(Library, EntryPoint = "micro_hs_copy_out")]
    internal static unsafe partial int CopyOut(HostStreamHandle s, int array, long offset, long count, double* dest);

    [LibraryImport(Library, EntryPoint = "micro_hs_isa")]
    internal static unsafe partial byte* Isa();

    [LibraryImport(Library, EntryPoint = "micro_hs_destroy")]
    internal static partial void Destroy(IntPtr s);
}

/// <summary>Owns one micro_hs (three host arrays); frees them when released.</summary>
public sealed class HostStreamHandle : SafeHandle
{
    public HostStreamHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override bool ReleaseHandle()
    {
        HostStreamNative.Destroy(handle);
        return true;
    }
}
