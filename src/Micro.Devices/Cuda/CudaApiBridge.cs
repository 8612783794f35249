namespace Micro.Devices.Cuda;

/// <summary>Lets other bindings in this assembly make a context current before releasing what belongs to it.</summary>
internal static class CudaApiBridge
{
    internal static void SetCurrent(IntPtr context) => CudaApi.cuCtxSetCurrent(context);
}
