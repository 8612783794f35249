using System.Runtime.InteropServices;
using Micro.Devices.Cuda;
using Micro.Devices.Native;
using Microsoft.Win32.SafeHandles;

namespace Micro.Devices.Cublas;

/// <summary>A cuBLASLt handle (cublasLtHandle_t) on one context; every call's status is checked and named.</summary>
public sealed unsafe class CublasLtHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly IntPtr _context;

    private CublasLtHandle(IntPtr context, IntPtr raw) : base(true)
    {
        _context = context;
        SetHandle(raw);
    }

    public IntPtr Raw => handle;

    public static bool TryLoad(out string why) => NativeLibraries.TryLoad(NativeLibraries.CublasLt, out why);

    public static CublasLtHandle Create(CudaContext ctx)
    {
        NativeLibraries.Require(NativeLibraries.CublasLt);
        ctx.Bind();
        IntPtr h;
        Check(CublasLtApi.cublasLtCreate(&h), "cublasLtCreate");
        return new CublasLtHandle(ctx.Raw, h);
    }

    /// <summary>cuBLASLt version as "13.0.2" (cublasLtGetVersion gives major*10000 + minor*100 + patch).</summary>
    public static string Version()
    {
        NativeLibraries.Require(NativeLibraries.CublasLt);
        var v = (long)CublasLtApi.cublasLtGetVersion();
        return FormatVersion(v);
    }

    public static string FormatVersion(long v) => $"{v / 10000}.{v / 100 % 100}.{v % 100}";

    internal static void Check(int status, string call)
    {
        if (status != CublasStatus.Success) throw new CublasException(call, status, Describe(status));
    }

    /// <summary>The library's own name for a status where it loads, else the cublas_api.h name.</summary>
    public static string Describe(int status)
    {
        if (!NativeLibraries.TryLoad(NativeLibraries.CublasLt, out _)) return CublasStatus.Name(status);
        try
        {
            var p = CublasLtApi.cublasLtGetStatusName(status);
            if (p != null) return Marshal.PtrToStringUTF8((IntPtr)p) ?? CublasStatus.Name(status);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        return CublasStatus.Name(status);
    }

    protected override bool ReleaseHandle()
    {
        CudaApiBridge.SetCurrent(_context);
        return CublasLtApi.cublasLtDestroy(handle) == CublasStatus.Success;
    }
}

/// <summary>cublasLtMatmulDesc_t.</summary>
public sealed unsafe class LtMatmulDesc : SafeHandleZeroOrMinusOneIsInvalid
{
    private LtMatmulDesc(IntPtr raw) : base(true) => SetHandle(raw);
    public IntPtr Raw => handle;

    public static LtMatmulDesc Create(CublasComputeType compute, CudaDataType scale)
    {
        IntPtr d;
        CublasLtHandle.Check(CublasLtApi.cublasLtMatmulDescCreate(&d, (int)compute, (int)scale), $"cublasLtMatmulDescCreate({compute}, {scale})");
        return new LtMatmulDesc(d);
    }

    public void Set(int attribute, byte[] value)
    {
        fixed (byte* p = value)
            CublasLtHandle.Check(CublasLtApi.cublasLtMatmulDescSetAttribute(handle, attribute, p, (nuint)value.Length),
                $"cublasLtMatmulDescSetAttribute({attribute})");
    }

    protected override bool ReleaseHandle() => CublasLtApi.cublasLtMatmulDescDestroy(handle) == CublasStatus.Success;
}

/// <summary>cublasLtMatrixLayout_t (column-major).</summary>
public sealed unsafe class LtMatrixLayout : SafeHandleZeroOrMinusOneIsInvalid
{
    private LtMatrixLayout(IntPtr raw) : base(true) => SetHandle(raw);
    public IntPtr Raw => handle;

    public static LtMatrixLayout Create((CudaDataType Type, ulong Rows, ulong Cols, long Ld) l)
    {
        IntPtr d;
        CublasLtHandle.Check(CublasLtApi.cublasLtMatrixLayoutCreate(&d, (int)l.Type, l.Rows, l.Cols, l.Ld),
            $"cublasLtMatrixLayoutCreate({l.Type}, {l.Rows}x{l.Cols}, ld={l.Ld})");
        return new LtMatrixLayout(d);
    }

    protected override bool ReleaseHandle() => CublasLtApi.cublasLtMatrixLayoutDestroy(handle) == CublasStatus.Success;
}

/// <summary>cublasLtMatmulPreference_t with the workspace limit set.</summary>
public sealed unsafe class LtPreference : SafeHandleZeroOrMinusOneIsInvalid
{
    private LtPreference(IntPtr raw) : base(true) => SetHandle(raw);
    public IntPtr Raw => handle;

    public static LtPreference Create(long maxWorkspaceBytes)
    {
        IntPtr d;
        CublasLtHandle.Check(CublasLtApi.cublasLtMatmulPreferenceCreate(&d), "cublasLtMatmulPreferenceCreate");
        var pref = new LtPreference(d);
        var bytes = (ulong)maxWorkspaceBytes;
        CublasLtHandle.Check(CublasLtApi.cublasLtMatmulPreferenceSetAttribute(d, LtConst.PrefMaxWorkspaceBytes, &bytes, sizeof(ulong)),
            "cublasLtMatmulPreferenceSetAttribute(MAX_WORKSPACE_BYTES)");
        return pref;
    }

    protected override bool ReleaseHandle() => CublasLtApi.cublasLtMatmulPreferenceDestroy(handle) == CublasStatus.Success;
}
