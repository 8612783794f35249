using System.Runtime.InteropServices;
using Micro.Devices.Native;

namespace Micro.Devices.Cuda;

/// <summary>
/// The CUDA driver API calls Micro uses, bound to the versioned entry points the driver exports (`_v2` where the
/// header maps the plain name to one). Handles are opaque pointers; CUdeviceptr is 64-bit; size_t is nuint.
/// Callers go through <see cref="Cu.Check"/> so every return code is checked.
/// </summary>
internal static unsafe partial class CudaApi
{
    static CudaApi() => NativeLibraries.EnsureRegistered();
    private const string L = NativeLibraries.Cuda;

    [LibraryImport(L)] internal static partial int cuInit(uint flags);
    [LibraryImport(L)] internal static partial int cuDriverGetVersion(int* version);
    [LibraryImport(L)] internal static partial int cuGetErrorName(int error, byte** str);
    [LibraryImport(L)] internal static partial int cuGetErrorString(int error, byte** str);

    [LibraryImport(L)] internal static partial int cuDeviceGetCount(int* count);
    [LibraryImport(L)] internal static partial int cuDeviceGet(int* device, int ordinal);
    [LibraryImport(L)] internal static partial int cuDeviceGetName(byte* name, int len, int device);
    [LibraryImport(L)] internal static partial int cuDeviceGetAttribute(int* value, int attribute, int device);
    [LibraryImport(L)] internal static partial int cuDeviceTotalMem_v2(nuint* bytes, int device);
    [LibraryImport(L)] internal static partial int cuDeviceGetPCIBusId(byte* id, int len, int device);

    [LibraryImport(L)] internal static partial int cuDevicePrimaryCtxRetain(IntPtr* ctx, int device);
    [LibraryImport(L)] internal static partial int cuDevicePrimaryCtxRelease_v2(int device);
    [LibraryImport(L)] internal static partial int cuCtxSetCurrent(IntPtr ctx);
    [LibraryImport(L)] internal static partial int cuCtxSynchronize();
    [LibraryImport(L)] internal static partial int cuMemGetInfo_v2(nuint* free, nuint* total);

    [LibraryImport(L)] internal static partial int cuMemAlloc_v2(ulong* dptr, nuint bytes);
    [LibraryImport(L)] internal static partial int cuMemFree_v2(ulong dptr);
    [LibraryImport(L)] internal static partial int cuMemHostAlloc(IntPtr* host, nuint bytes, uint flags);
    [LibraryImport(L)] internal static partial int cuMemFreeHost(IntPtr host);
    [LibraryImport(L)] internal static partial int cuMemHostGetDevicePointer_v2(ulong* dptr, IntPtr host, uint flags);

    [LibraryImport(L)] internal static partial int cuMemcpyHtoD_v2(ulong dst, void* src, nuint bytes);
    [LibraryImport(L)] internal static partial int cuMemcpyDtoH_v2(void* dst, ulong src, nuint bytes);
    [LibraryImport(L)] internal static partial int cuMemcpyHtoDAsync_v2(ulong dst, void* src, nuint bytes, IntPtr stream);
    [LibraryImport(L)] internal static partial int cuMemcpyDtoHAsync_v2(void* dst, ulong src, nuint bytes, IntPtr stream);
    [LibraryImport(L)] internal static partial int cuMemcpyDtoDAsync_v2(ulong dst, ulong src, nuint bytes, IntPtr stream);
    [LibraryImport(L)] internal static partial int cuMemsetD32Async(ulong dst, uint value, nuint count, IntPtr stream);

    [LibraryImport(L)] internal static partial int cuStreamCreate(IntPtr* stream, uint flags);
    [LibraryImport(L)] internal static partial int cuStreamDestroy_v2(IntPtr stream);
    [LibraryImport(L)] internal static partial int cuStreamSynchronize(IntPtr stream);
    [LibraryImport(L)] internal static partial int cuStreamWaitEvent(IntPtr stream, IntPtr ev, uint flags);

    [LibraryImport(L)] internal static partial int cuEventCreate(IntPtr* ev, uint flags);
    [LibraryImport(L)] internal static partial int cuEventDestroy_v2(IntPtr ev);
    [LibraryImport(L)] internal static partial int cuEventRecord(IntPtr ev, IntPtr stream);
    [LibraryImport(L)] internal static partial int cuEventSynchronize(IntPtr ev);
    [LibraryImport(L)] internal static partial int cuEventElapsedTime(float* ms, IntPtr start, IntPtr end);

    [LibraryImport(L)] internal static partial int cuModuleLoadData(IntPtr* module, void* image);
    [LibraryImport(L)] internal static partial int cuModuleUnload(IntPtr module);
    [LibraryImport(L)] internal static partial int cuModuleGetFunction(IntPtr* function, IntPtr module, byte* name);
    [LibraryImport(L)] internal static partial int cuFuncSetAttribute(IntPtr function, int attribute, int value);
    [LibraryImport(L)] internal static partial int cuFuncGetAttribute(int* value, int attribute, IntPtr function);
    [LibraryImport(L)] internal static partial int cuOccupancyMaxActiveBlocksPerMultiprocessor(int* blocks, IntPtr function, int blockSize, nuint dynamicSmem);
    [LibraryImport(L)] internal static partial int cuLaunchKernel(IntPtr f, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedMemBytes, IntPtr stream, void** kernelParams, void** extra);

    [LibraryImport(L)] internal static partial int cuStreamBeginCapture_v2(IntPtr stream, int mode);
    [LibraryImport(L)] internal static partial int cuStreamEndCapture(IntPtr stream, IntPtr* graph);
    [LibraryImport(L)] internal static partial int cuGraphInstantiateWithFlags(IntPtr* exec, IntPtr graph, ulong flags);
    [LibraryImport(L)] internal static partial int cuGraphLaunch(IntPtr exec, IntPtr stream);
    [LibraryImport(L)] internal static partial int cuGraphExecDestroy(IntPtr exec);
    [LibraryImport(L)] internal static partial int cuGraphDestroy(IntPtr graph);
}
