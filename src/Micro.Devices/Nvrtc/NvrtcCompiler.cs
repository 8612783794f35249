using System.Runtime.InteropServices;
using System.Text;
using Micro.Devices.Native;

namespace Micro.Devices.Nvrtc;

/// <summary>A compiled kernel image and how it was produced.</summary>
/// <param name="Image">CUBIN for an sm_XX target (or PTX text when only PTX was produced).</param>
/// <param name="Kind">"cubin" or "ptx".</param>
/// <param name="FromCache">True when read from the on-disk cache instead of compiling.</param>
public sealed record CompiledKernel(string Source, string Arch, byte[] Image, string Kind, string Hash, bool FromCache, string Log);

/// <summary>
/// Compiles CUDA C sources with NVRTC for one exact architecture (--gpu-architecture=sm_XX gives a CUBIN the
/// driver loads without JIT). Embedded headers are passed as in-memory includes. Images are cached on disk per
/// source/arch/options/NVRTC-version hash (see <see cref="KernelCache"/>).
/// </summary>
public static unsafe class NvrtcCompiler
{
    public static bool TryLoad(out string why) => NativeLibraries.TryLoad(NativeLibraries.Nvrtc, out why);

    public static string Version()
    {
        NativeLibraries.Require(NativeLibraries.Nvrtc);
        int major, minor;
        Check(NvrtcApi.nvrtcVersion(&major, &minor), "nvrtcVersion");
        return $"{major}.{minor}";
    }

    /// <summary>The options Micro passes for <paramref name="arch"/> ("sm_90", "sm_90a" ...).</summary>
    public static IReadOnlyList<string> Options(string arch) => [$"--gpu-architecture={arch}", "--std=c++17", "-default-device"];

    /// <summary>Compiles kernels/<paramref name="relativePath"/> (embedded) for <paramref name="arch"/>, using the cache.</summary>
    public static CompiledKernel CompileEmbedded(string relativePath, string arch) =>
        Compile(relativePath, KernelSources.Read(relativePath), arch, KernelSources.Headers());

    public static CompiledKernel Compile(string name, string source, string arch, IReadOnlyList<(string IncludeName, string Text)> headers)
    {
        NativeLibraries.Require(NativeLibraries.Nvrtc);
        var options = Options(arch);
        var hash = KernelCache.Hash(source, headers, arch, options, Version());
        if (KernelCache.TryRead(name, arch, hash, out var cached, out var kind))
            return new CompiledKernel(name, arch, cached, kind, hash, true, "");
        var (image, imageKind, log) = CompileUncached(name, source, headers, options);
        KernelCache.Write(name, arch, hash, image, imageKind);
        return new CompiledKernel(name, arch, image, imageKind, hash, false, log);
    }

    private static (byte[] Image, string Kind, string Log) CompileUncached(string name, string source,
        IReadOnlyList<(string IncludeName, string Text)> headers, IReadOnlyList<string> options)
    {
        var toFree = new List<IntPtr>();
        IntPtr Utf8(string s)
        {
            var p = Marshal.StringToCoTaskMemUTF8(s);
            toFree.Add(p);
            return p;
        }
        IntPtr prog = 0;
        try
        {
            var headerPtrs = stackalloc byte*[Math.Max(1, headers.Count)];
            var includePtrs = stackalloc byte*[Math.Max(1, headers.Count)];
            for (var i = 0; i < headers.Count; i++)
            {
                headerPtrs[i] = (byte*)Utf8(headers[i].Text);
                includePtrs[i] = (byte*)Utf8(headers[i].IncludeName);
            }
            Check(NvrtcApi.nvrtcCreateProgram(&prog, (byte*)Utf8(source), (byte*)Utf8(name), headers.Count,
                headers.Count == 0 ? null : headerPtrs, headers.Count == 0 ? null : includePtrs), $"nvrtcCreateProgram({name})");
            var optPtrs = stackalloc byte*[options.Count];
            for (var i = 0; i < options.Count; i++) optPtrs[i] = (byte*)Utf8(options[i]);
            var result = NvrtcApi.nvrtcCompileProgram(prog, options.Count, optPtrs);
            var log = ReadLog(prog);
            if (result != 0)
                throw new NvrtcException($"nvrtcCompileProgram({name}, {string.Join(' ', options)})", result, Describe(result), log);
            nuint size;
            if (NvrtcApi.nvrtcGetCUBINSize(prog, &size) == 0 && size > 0)
            {
                var cubin = new byte[(int)size];
                fixed (byte* p = cubin) Check(NvrtcApi.nvrtcGetCUBIN(prog, p), "nvrtcGetCUBIN");
                return (cubin, "cubin", log);
            }
            Check(NvrtcApi.nvrtcGetPTXSize(prog, &size), "nvrtcGetPTXSize");
            var ptx = new byte[(int)size];
            fixed (byte* p = ptx) Check(NvrtcApi.nvrtcGetPTX(prog, p), "nvrtcGetPTX");
            return (ptx, "ptx", log);
        }
        finally
        {
            if (prog != 0) NvrtcApi.nvrtcDestroyProgram(&prog);
            foreach (var p in toFree) Marshal.FreeCoTaskMem(p);
        }
    }

    private static string ReadLog(IntPtr prog)
    {
        nuint size;
        if (NvrtcApi.nvrtcGetProgramLogSize(prog, &size) != 0 || size <= 1) return "";
        var buf = new byte[(int)size];
        fixed (byte* p = buf) if (NvrtcApi.nvrtcGetProgramLog(prog, p) != 0) return "";
        return Encoding.UTF8.GetString(buf).TrimEnd('\0');
    }

    private static void Check(int result, string call)
    {
        if (result != 0) throw new NvrtcException(call, result, Describe(result));
    }

    /// <summary>NVRTC's own text for a result code, or the code's documented name when the library cannot say.</summary>
    public static string Describe(int result)
    {
        try
        {
            var p = NvrtcApi.nvrtcGetErrorString(result);
            if (p != null) return Marshal.PtrToStringUTF8((IntPtr)p) ?? FallbackName(result);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        return FallbackName(result);
    }

    /// <summary>nvrtcResult names from nvrtc.h, used when libnvrtc is not there to describe itself.</summary>
    public static string FallbackName(int result) => result switch
    {
        0 => "NVRTC_SUCCESS",
        1 => "NVRTC_ERROR_OUT_OF_MEMORY",
        2 => "NVRTC_ERROR_PROGRAM_CREATION_FAILURE",
        3 => "NVRTC_ERROR_INVALID_INPUT",
        4 => "NVRTC_ERROR_INVALID_PROGRAM",
        5 => "NVRTC_ERROR_INVALID_OPTION",
        6 => "NVRTC_ERROR_COMPILATION",
        7 => "NVRTC_ERROR_BUILTIN_OPERATION_FAILURE",
        8 => "NVRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION",
        9 => "NVRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION",
        10 => "NVRTC_ERROR_NAME_EXPRESSION_NOT_VALID",
        11 => "NVRTC_ERROR_INTERNAL_ERROR",
        _ => $"nvrtcResult {result}",
    };
}
