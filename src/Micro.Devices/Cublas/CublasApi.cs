using System.Runtime.InteropServices;
using Micro.Devices.Native;

namespace Micro.Devices.Cublas;

/// <summary>cuBLAS (cublas_api.h, the _v2 entry points) calls Micro uses.</summary>
internal static unsafe partial class CublasApi
{
    static CublasApi() => NativeLibraries.EnsureRegistered();
    private const string L = NativeLibraries.Cublas;

    [LibraryImport(L)] internal static partial int cublasCreate_v2(IntPtr* handle);
    [LibraryImport(L)] internal static partial int cublasDestroy_v2(IntPtr handle);
    [LibraryImport(L)] internal static partial int cublasGetVersion_v2(IntPtr handle, int* version);
    [LibraryImport(L)] internal static partial int cublasSetStream_v2(IntPtr handle, IntPtr stream);
    [LibraryImport(L)] internal static partial int cublasSetMathMode(IntPtr handle, int mode);
    [LibraryImport(L)] internal static partial int cublasSetWorkspace_v2(IntPtr handle, ulong workspace, nuint bytes);
    [LibraryImport(L)] internal static partial byte* cublasGetStatusString(int status);

    [LibraryImport(L)]
    internal static partial int cublasGemmEx(IntPtr handle, int transa, int transb, int m, int n, int k,
        void* alpha, ulong a, int aType, int lda, ulong b, int bType, int ldb,
        void* beta, ulong c, int cType, int ldc, int computeType, int algo);
}

/// <summary>cudaDataType_t (library_types.h).</summary>
public enum CudaDataType
{
    R32F = 0,
    R64F = 1,
    R16F = 2,
    R16BF = 14,
    R8FE4M3 = 28,
    R8FE5M2 = 29,
}

/// <summary>cublasComputeType_t (cublas_api.h).</summary>
public enum CublasComputeType
{
    Compute16F = 64,
    Compute32F = 68,
    Compute32FFast16F = 74,
    Compute32FFast16BF = 75,
    Compute32FFastTf32 = 77,
    Compute64F = 70,
}

public static class CublasConst
{
    public const int OpN = 0;
    public const int OpT = 1;
    public const int GemmDefault = -1;
    public const int DefaultMath = 0;
    public const int Tf32TensorOpMath = 3;
}
