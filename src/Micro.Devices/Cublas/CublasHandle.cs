using System.Runtime.InteropServices;
using Micro.Devices.Cuda;
using Micro.Devices.Native;
using Microsoft.Win32.SafeHandles;

namespace Micro.Devices.Cublas;

/// <summary>A cuBLAS handle bound to one context and stream; every call's status is checked.</summary>
public sealed unsafe class CublasHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly IntPtr _context;

    private CublasHandle(IntPtr context, IntPtr raw) : base(true)
    {
        _context = context;
        SetHandle(raw);
    }

    public static bool TryLoad(out string why) => NativeLibraries.TryLoad(NativeLibraries.Cublas, out why);

    public static CublasHandle Create(CudaContext ctx, CudaStream stream)
    {
        NativeLibraries.Require(NativeLibraries.Cublas);
        ctx.Bind();
        IntPtr h;
        Check(CublasApi.cublasCreate_v2(&h), "cublasCreate_v2");
        var handle = new CublasHandle(ctx.Raw, h);
        Check(CublasApi.cublasSetStream_v2(h, stream.Raw), "cublasSetStream_v2");
        return handle;
    }

    /// <summary>cuBLAS version as "13.0.0" (cublasGetVersion gives major*10000 + minor*100 + patch).</summary>
    public string Version
    {
        get
        {
            int v;
            Check(CublasApi.cublasGetVersion_v2(handle, &v), "cublasGetVersion_v2");
            return $"{v / 10000}.{v / 100 % 100}.{v % 100}";
        }
    }

    /// <summary>
    /// Gives cuBLAS a caller-owned device workspace (as torch does), so it may pick split-K and other kernels that need
    /// scratch. Must come after cublasSetStream, which resets the workspace; the memory must outlive the handle's use.
    /// Returns false (leaving the default pool) where this cuBLAS lacks cublasSetWorkspace_v2 (before CUDA 11.4).
    /// </summary>
    public bool TrySetWorkspace(ulong pointer, long bytes)
    {
        try { Check(CublasApi.cublasSetWorkspace_v2(handle, pointer, (nuint)bytes), "cublasSetWorkspace_v2"); }
        catch (EntryPointNotFoundException) { return false; }
        return true;
    }

    public void SetMathMode(int mode) => Check(CublasApi.cublasSetMathMode(handle, mode), "cublasSetMathMode");

    /// <summary>
    /// Column-major C(m x n) = alpha * op(A)(m x k) * op(B)(k x n) + beta * C with fp32 alpha/beta (host pointer mode),
    /// which is what every compute type Micro uses (32F and its FAST variants) expects.
    /// </summary>
    public void GemmEx(int transA, int transB, int m, int n, int k, float alpha,
        ulong a, CudaDataType aType, int lda, ulong b, CudaDataType bType, int ldb,
        float beta, ulong c, CudaDataType cType, int ldc, CublasComputeType compute)
    {
        Check(CublasApi.cublasGemmEx(handle, transA, transB, m, n, k, &alpha, a, (int)aType, lda, b, (int)bType, ldb,
            &beta, c, (int)cType, ldc, (int)compute, CublasConst.GemmDefault),
            $"cublasGemmEx(m={m}, n={n}, k={k}, {aType}/{cType}, {compute})");
    }

    private static void Check(int status, string call)
    {
        if (status != 0) throw new CublasException(call, status, Describe(status));
    }

    public static string Describe(int status)
    {
        try
        {
            var p = CublasApi.cublasGetStatusString(status);
            if (p != null) return Marshal.PtrToStringUTF8((IntPtr)p) ?? $"cublasStatus {status}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        return CublasStatus.Name(status);
    }

    protected override bool ReleaseHandle()
    {
        CudaApiBridge.SetCurrent(_context);
        return CublasApi.cublasDestroy_v2(handle) == 0;
    }
}
