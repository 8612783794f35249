using System.Runtime.InteropServices;

namespace Micro.Devices.Cuda;

/// <summary>Return-code checking for driver calls.</summary>
public static unsafe class Cu
{
    /// <summary>Throws <see cref="CudaException"/> naming <paramref name="call"/> unless <paramref name="result"/> is CUDA_SUCCESS.</summary>
    public static void Check(int result, string call)
    {
        if (result != CuConst.Success) throw Error(result, call);
    }

    public static CudaException Error(int result, string call)
    {
        var (name, text) = Describe(result);
        return new CudaException(call, result, name, text);
    }

    /// <summary>The driver's name and description of a CUresult, or a fallback when the driver cannot say.</summary>
    public static (string Name, string Description) Describe(int result)
    {
        try
        {
            byte* n = null, s = null;
            var okName = CudaApi.cuGetErrorName(result, &n) == 0 && n != null;
            var okText = CudaApi.cuGetErrorString(result, &s) == 0 && s != null;
            return (okName ? Marshal.PtrToStringUTF8((IntPtr)n)! : $"CUresult {result}",
                    okText ? Marshal.PtrToStringUTF8((IntPtr)s)! : "unknown error");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return ($"CUresult {result}", "unknown error (driver unavailable)");
        }
    }
}
