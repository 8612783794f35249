using Micro.Devices.Native;

namespace Micro.Devices.Host;

/// <summary>Managed face of the native host STREAM arrays: allocate, initialise, run one kernel, copy out.</summary>
public sealed class HostStream : IDisposable
{
    private readonly HostStreamHandle _handle;

    private HostStream(HostStreamHandle handle, long elements, int elementSize)
    {
        _handle = handle;
        Elements = elements;
        ElementSize = elementSize;
    }

    public long Elements { get; }
    public int ElementSize { get; }

    /// <summary>Null with a one-line reason when the shim is missing or of another ABI version.</summary>
    public static string? Unavailable()
    {
        if (!NativeLibraries.TryLoad(NativeLibraries.HostStream, out var why)) return why;
        try
        {
            var v = HostStreamNative.AbiVersionOf();
            return v == HostStreamNative.AbiVersion ? null : $"libmicro_hoststream.so has ABI {v}, expected {HostStreamNative.AbiVersion}: rebuild with ./scripts/build";
        }
        catch (EntryPointNotFoundException e) { return "libmicro_hoststream.so is incomplete: " + e.Message; }
    }

    public static int Threads()
    {
        return HostStreamNative.Threads();
    }

    /// <summary>The kernel build the library picked for this CPU (avx512, avx2, baseline); "unknown" for a library without micro_hs_isa.</summary>
    public static unsafe string Isa()
    {
        try { return System.Runtime.InteropServices.Marshal.PtrToStringUTF8((IntPtr)HostStreamNative.Isa()) ?? "unknown"; }
        catch (EntryPointNotFoundException) { return "unknown"; }
    }

    public static string? LibraryPath => NativeLibraries.PathOf(NativeLibraries.HostStream);

    /// <exception cref="OutOfMemoryException">The three arrays could not be allocated.</exception>
    public static HostStream Create(long elements, int elementSize)
    {
        var h = HostStreamNative.Create(elements, elementSize);
        if (h.IsInvalid)
        {
            h.Dispose();
            throw new OutOfMemoryException($"host STREAM: could not allocate 3 x {elements} elements of {elementSize} bytes");
        }
        return new HostStream(h, elements, elementSize);
    }

    public void Initialize(double a0, double b0, double c0) => HostStreamNative.Init(_handle, a0, b0, c0);

    /// <summary>Runs kernel id (hoststream.h's micro_hs_kernel) once; seconds from the host monotonic clock.</summary>
    public double Run(int kernel, double scalar, out double sum)
    {
        var t = HostStreamNative.Run(_handle, kernel, scalar, out sum);
        if (t < 0) throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "host STREAM rejected the kernel id");
        return t;
    }

    public unsafe void CopyOut(int array, long offset, Span<double> dest)
    {
        fixed (double* p = dest)
        {
            if (HostStreamNative.CopyOut(_handle, array, offset, dest.Length, p) != 0)
                throw new ArgumentOutOfRangeException(nameof(offset), $"copy of {dest.Length} elements at {offset} from array {array} is out of range ({Elements})");
        }
    }

    public void Dispose() => _handle.Dispose();
}
