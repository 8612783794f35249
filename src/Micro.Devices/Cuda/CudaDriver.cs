using System.Text;
using Micro.Devices.Native;

namespace Micro.Devices.Cuda;

/// <summary>Process-wide driver state: loads libcuda, calls cuInit once, enumerates devices.</summary>
public static unsafe class CudaDriver
{
    private static readonly Lazy<string?> InitError = new(InitOnce);

    private static string? InitOnce()
    {
        if (!NativeLibraries.TryLoad(NativeLibraries.Cuda, out var why)) return why;
        try
        {
            var r = CudaApi.cuInit(0);
            return r == CuConst.Success ? null : Cu.Error(r, "cuInit").Message;
        }
        catch (EntryPointNotFoundException e)
        {
            return "CUDA driver too old or unusable: " + e.Message;
        }
    }

    /// <summary>True when libcuda loaded and cuInit succeeded; otherwise <paramref name="why"/> says why in one line.</summary>
    public static bool TryInitialize(out string why)
    {
        why = InitError.Value ?? "";
        return InitError.Value is null;
    }

    /// <summary>Initializes the driver or throws a one-line <see cref="NativeLibraryMissingException"/> / <see cref="CudaException"/>.</summary>
    public static void Initialize()
    {
        if (!TryInitialize(out var why)) throw new NativeLibraryMissingException(why);
    }

    /// <summary>Driver API version as "13.0" (cuDriverGetVersion gives 1000*major + 10*minor).</summary>
    public static string Version()
    {
        Initialize();
        int v;
        Cu.Check(CudaApi.cuDriverGetVersion(&v), "cuDriverGetVersion");
        return FormatVersion(v);
    }

    public static string FormatVersion(int v) => $"{v / 1000}.{v % 1000 / 10}";

    public static int DeviceCount()
    {
        Initialize();
        int n;
        Cu.Check(CudaApi.cuDeviceGetCount(&n), "cuDeviceGetCount");
        return n;
    }

    internal static string ReadString(Func<IntPtr, int, int> call, string name, int capacity = 256)
    {
        var buf = new byte[capacity];
        fixed (byte* p = buf) Cu.Check(call((IntPtr)p, capacity), name);
        var len = Array.IndexOf(buf, (byte)0);
        return Encoding.UTF8.GetString(buf, 0, len < 0 ? capacity : len);
    }
}
