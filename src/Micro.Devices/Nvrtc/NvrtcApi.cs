using System.Runtime.InteropServices;
using Micro.Devices.Native;

namespace Micro.Devices.Nvrtc;

/// <summary>NVRTC (nvrtc.h) calls Micro uses. nvrtcProgram is an opaque pointer; sizes are size_t.</summary>
internal static unsafe partial class NvrtcApi
{
    static NvrtcApi() => NativeLibraries.EnsureRegistered();
    private const string L = NativeLibraries.Nvrtc;

    [LibraryImport(L)] internal static partial byte* nvrtcGetErrorString(int result);
    [LibraryImport(L)] internal static partial int nvrtcVersion(int* major, int* minor);
    [LibraryImport(L)] internal static partial int nvrtcCreateProgram(IntPtr* prog, byte* src, byte* name, int numHeaders, byte** headers, byte** includeNames);
    [LibraryImport(L)] internal static partial int nvrtcDestroyProgram(IntPtr* prog);
    [LibraryImport(L)] internal static partial int nvrtcCompileProgram(IntPtr prog, int numOptions, byte** options);
    [LibraryImport(L)] internal static partial int nvrtcGetProgramLogSize(IntPtr prog, nuint* size);
    [LibraryImport(L)] internal static partial int nvrtcGetProgramLog(IntPtr prog, byte* log);
    [LibraryImport(L)] internal static partial int nvrtcGetCUBINSize(IntPtr prog, nuint* size);
    [LibraryImport(L)] internal static partial int nvrtcGetCUBIN(IntPtr prog, byte* cubin);
    [LibraryImport(L)] internal static partial int nvrtcGetPTXSize(IntPtr prog, nuint* size);
    [LibraryImport(L)] internal static partial int nvrtcGetPTX(IntPtr prog, byte* ptx);
}
