using System.Runtime.InteropServices;
using Micro.Devices.Native;

namespace Micro.Devices.Cublas;

/// <summary>cuBLASLt (cublasLt.h) calls Micro uses: handle, matmul/layout/preference descriptors, heuristic, matmul.</summary>
internal static unsafe partial class CublasLtApi
{
    static CublasLtApi() => NativeLibraries.EnsureRegistered();
    private const string L = NativeLibraries.CublasLt;

    [LibraryImport(L)] internal static partial int cublasLtCreate(IntPtr* handle);
    [LibraryImport(L)] internal static partial int cublasLtDestroy(IntPtr handle);
    [LibraryImport(L)] internal static partial nuint cublasLtGetVersion();
    [LibraryImport(L)] internal static partial byte* cublasLtGetStatusName(int status);
    [LibraryImport(L)] internal static partial byte* cublasLtGetStatusString(int status);

    [LibraryImport(L)] internal static partial int cublasLtMatmulDescCreate(IntPtr* desc, int computeType, int scaleType);
    [LibraryImport(L)] internal static partial int cublasLtMatmulDescDestroy(IntPtr desc);
    [LibraryImport(L)] internal static partial int cublasLtMatmulDescSetAttribute(IntPtr desc, int attribute, void* value, nuint size);

    [LibraryImport(L)] internal static partial int cublasLtMatrixLayoutCreate(IntPtr* layout, int type, ulong rows, ulong cols, long ld);
    [LibraryImport(L)] internal static partial int cublasLtMatrixLayoutDestroy(IntPtr layout);

    [LibraryImport(L)] internal static partial int cublasLtMatmulPreferenceCreate(IntPtr* pref);
    [LibraryImport(L)] internal static partial int cublasLtMatmulPreferenceDestroy(IntPtr pref);
    [LibraryImport(L)] internal static partial int cublasLtMatmulPreferenceSetAttribute(IntPtr pref, int attribute, void* value, nuint size);

    [LibraryImport(L)]
    internal static partial int cublasLtMatmulAlgoGetHeuristic(IntPtr handle, IntPtr opDesc, IntPtr aDesc, IntPtr bDesc,
        IntPtr cDesc, IntPtr dDesc, IntPtr preference, int requested, LtHeuristicResult* results, int* returned);

    [LibraryImport(L)]
    internal static partial int cublasLtMatmulAlgoConfigGetAttribute(LtMatmulAlgo* algo, int attribute, void* buffer, nuint size, nuint* written);

    [LibraryImport(L)]
    internal static partial int cublasLtMatmul(IntPtr handle, IntPtr desc, void* alpha, ulong a, IntPtr aDesc, ulong b, IntPtr bDesc,
        void* beta, ulong c, IntPtr cDesc, ulong d, IntPtr dDesc, LtMatmulAlgo* algo, ulong workspace, nuint workspaceBytes, IntPtr stream);
}

/// <summary>cublasLtMatmulAlgo_t: 8 opaque 64-bit words.</summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
public unsafe struct LtMatmulAlgo
{
    public fixed ulong Data[8];
}

/// <summary>cublasLtMatmulHeuristicResult_t: algo, workspaceSize, state, wavesCount, int reserved[4] (96 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct LtHeuristicResult
{
    public LtMatmulAlgo Algo;
    public nuint WorkspaceSize;
    public int State;
    public float WavesCount;
    public fixed int Reserved[4];
}

/// <summary>The cublasLt.h enumerator values Micro sets or reads (stable across CUDA 12 and 13).</summary>
public static class LtConst
{
    // cublasLtMatmulDescAttributes_t
    public const int DescTransA = 3;
    public const int DescTransB = 4;
    public const int DescAScalePointer = 17;
    public const int DescBScalePointer = 18;
    public const int DescFastAccum = 25;
    // cublasLtMatmulPreferenceAttributes_t
    public const int PrefMaxWorkspaceBytes = 1;
    // cublasLtMatmulAlgoConfigAttributes_t
    public const int AlgoId = 0;
    public const int AlgoTileId = 1;
    public const int AlgoSplitK = 2;
    public const int AlgoReductionScheme = 3;
    public const int AlgoCtaSwizzling = 4;
    public const int AlgoCustomOption = 5;
    public const int AlgoStagesId = 6;
    public const int AlgoInnerShapeId = 7;
    public const int AlgoClusterShapeId = 8;
}
