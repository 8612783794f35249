using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Micro.Devices.Native;

/// <summary>
/// Resolves the logical library names used by Micro's [LibraryImport] bindings to vendor libraries found at run time
/// (see <see cref="LibrarySearch"/>), remembers what was loaded from where, and turns "not found" into one clear line.
/// </summary>
public static class NativeLibraries
{
    public const string Cuda = "micro-cuda";
    public const string Nvrtc = "micro-nvrtc";
    public const string Cublas = "micro-cublas";
    public const string CublasLt = "micro-cublaslt";
    public const string Nvml = "micro-nvml";

    public static readonly IReadOnlyDictionary<string, LibrarySpec> Specs = new Dictionary<string, LibrarySpec>
    {
        [Cuda] = new(Cuda, "CUDA driver", ["libcuda.so.1", "libcuda.so"], "MICRO_CUDA_PATH", false, []),
        [Nvrtc] = new(Nvrtc, "NVRTC", ["libnvrtc.so.13", "libnvrtc.so.12"], "MICRO_NVRTC_PATH", true,
            ["libnvrtc-builtins.so.13.*", "libnvrtc-builtins.so.12.*"]),
        [Cublas] = new(Cublas, "cuBLAS", ["libcublas.so.13", "libcublas.so.12"], "MICRO_CUBLAS_PATH", true,
            ["libcublasLt.so.13", "libcublasLt.so.12"]),
        [CublasLt] = new(CublasLt, "cuBLASLt", ["libcublasLt.so.13", "libcublasLt.so.12"], "MICRO_CUBLASLT_PATH", true, []),
        [Nvml] = new(Nvml, "NVML", ["libnvidia-ml.so.1", "libnvidia-ml.so"], "MICRO_NVML_PATH", false, []),
    };

    private static readonly ConcurrentDictionary<string, Lazy<(IntPtr Handle, string? Path, string? Why)>> Cache = new();

    private static int _registered;

    /// <summary>
    /// Hooks the logical names into native library resolution once; every binding class calls it from its static
    /// constructor. This uses the load context's ResolvingUnmanagedDll event (asked after the default search fails)
    /// rather than SetDllImportResolver, because an assembly can have only one DllImportResolver and
    /// Host/NativeShims already owns Micro.Devices' one.
    /// </summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
            AssemblyLoadContext.Default.ResolvingUnmanagedDll += Resolve;
    }

    private static IntPtr Resolve(Assembly assembly, string name) =>
        assembly == typeof(NativeLibraries).Assembly && Specs.ContainsKey(name) ? Load(name).Handle : IntPtr.Zero;

    private static (IntPtr Handle, string? Path, string? Why) Load(string logical) =>
        Cache.GetOrAdd(logical, l => new Lazy<(IntPtr, string?, string?)>(() => LoadUncached(Specs[l]))).Value;

    private static (IntPtr, string?, string?) LoadUncached(LibrarySpec spec)
    {
        var overrideValue = Environment.GetEnvironmentVariable(spec.PathVariable);
        var candidates = LibrarySearch.Candidates(spec, overrideValue);
        foreach (var candidate in candidates)
        {
            var dir = Path.IsPathRooted(candidate) ? Path.GetDirectoryName(candidate) : null;
            if (dir is not null && !File.Exists(candidate)) continue;
            if (dir is not null) LoadCompanions(spec, dir);
            if (NativeLibrary.TryLoad(candidate, out var handle))
                return (handle, dir is null ? DescribeSystemLoad(candidate, handle) : candidate, null);
        }
        var where = string.IsNullOrEmpty(overrideValue)
            ? $"{string.Join(", ", spec.FileNames)} via the system loader, /usr/local/cuda/lib64" + (spec.SearchPythonPackages ? " and site-packages/nvidia/*/lib" : "")
            : $"{spec.PathVariable}={overrideValue}";
        return (IntPtr.Zero, null, $"no {spec.Display}: not found ({where}); set {spec.PathVariable} to the library file or its folder");
    }

    private static void LoadCompanions(LibrarySpec spec, string dir)
    {
        foreach (var pattern in spec.Companions)
        {
            string[] files;
            try { files = Directory.GetFiles(dir, pattern); }
            catch (IOException) { continue; }
            foreach (var f in files.OrderByDescending(f => f, StringComparer.Ordinal))
                if (NativeLibrary.TryLoad(f, out _)) break;
        }
    }

    /// <summary>For a bare soname the loader found, the file it came from (via dladdr on an exported symbol when possible).</summary>
    private static string DescribeSystemLoad(string soname, IntPtr handle)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var idx = line.IndexOf('/');
                if (idx < 0) continue;
                var file = line[idx..];
                if (Path.GetFileName(file).StartsWith(soname, StringComparison.Ordinal)) return file;
            }
        }
        catch (IOException) { }
        return soname + " (system loader)";
    }

    /// <summary>True when the library loads; otherwise <paramref name="why"/> is the one-line reason.</summary>
    public static bool TryLoad(string logical, out string why)
    {
        var r = Load(logical);
        why = r.Why ?? "";
        return r.Handle != IntPtr.Zero;
    }

    /// <summary>Throws <see cref="NativeLibraryMissingException"/> with the one-line reason when the library is missing.</summary>
    public static void Require(string logical)
    {
        if (!TryLoad(logical, out var why)) throw new NativeLibraryMissingException(why);
    }

    /// <summary>Display name -> file loaded, for the run context and `micro devices`.</summary>
    public static IReadOnlyDictionary<string, string> Loaded()
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (logical, lazy) in Cache)
            if (lazy.IsValueCreated && lazy.Value.Path is { } p) d[Specs[logical].Display] = p;
        return d;
    }
}
