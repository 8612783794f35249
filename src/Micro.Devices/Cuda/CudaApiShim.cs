namespace Micro.Devices.Cuda;

/// <summary>Synchronous copies from raw host pointers (pageable memory) for callers outside this assembly; the caller checks the CUresult.</summary>
public static unsafe class CudaApiShim
{
    public static int HtoD(ulong dst, void* src, long bytes) => CudaApi.cuMemcpyHtoD_v2(dst, src, (nuint)bytes);
    public static int DtoH(void* dst, ulong src, long bytes) => CudaApi.cuMemcpyDtoH_v2(dst, src, (nuint)bytes);
}
