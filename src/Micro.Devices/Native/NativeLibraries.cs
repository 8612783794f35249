using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Micro.Devices.Native;

/// <summary>
/// The one resolver of every native library Micro loads: the CUDA driver, NVRTC, cuBLAS(Lt), NVML, the CUDA and HIP
/// runtimes, NCCL, RCCL, and Micro's own shims (libmicro_hoststream, libmicro_coll). One environment variable per library
/// (<c>MICRO_&lt;LIB&gt;_PATH</c>, see <see cref="Specs"/>), one search order (<see cref="LibrarySearch"/>), one list of
/// what was loaded from where (<see cref="Loaded"/>), and "not found" as one clear line.
/// Libraries that only the C shim dlopens (the runtimes, NCCL, RCCL) are resolved here too and their path is passed
/// to the shim, so both sides load the same file.
/// </summary>
public static class NativeLibraries
{
    public const string Cuda = "micro-cuda";
    public const string Nvrtc = "micro-nvrtc";
    public const string Cublas = "micro-cublas";
    public const string CublasLt = "micro-cublaslt";
    public const string Nvml = "micro-nvml";
    public const string Cudart = "micro-cudart";
    public const string Hip = "micro-hip";
    public const string Nccl = "micro-nccl";
    public const string Rccl = "micro-rccl";
    public const string HostStream = "micro_hoststream";
    public const string Coll = "micro_coll";

    public static readonly IReadOnlyDictionary<string, LibrarySpec> Specs = new Dictionary<string, LibrarySpec>
    {
        [Cuda] = new(Cuda, "CUDA driver", ["libcuda.so.1", "libcuda.so"], "MICRO_CUDA_PATH", false, [], "cuInit"),
        [Nvrtc] = new(Nvrtc, "NVRTC", ["libnvrtc.so.13", "libnvrtc.so.12"], "MICRO_NVRTC_PATH", true,
            ["libnvrtc-builtins.so.13.*", "libnvrtc-builtins.so.12.*"], "nvrtcVersion"),
        [Cublas] = new(Cublas, "cuBLAS", ["libcublas.so.13", "libcublas.so.12"], "MICRO_CUBLAS_PATH", true,
            ["libcublasLt.so.13", "libcublasLt.so.12"], "cublasCreate_v2"),
        [CublasLt] = new(CublasLt, "cuBLASLt", ["libcublasLt.so.13", "libcublasLt.so.12"], "MICRO_CUBLASLT_PATH", true, [], "cublasLtCreate"),
        [Nvml] = new(Nvml, "NVML", ["libnvidia-ml.so.1", "libnvidia-ml.so"], "MICRO_NVML_PATH", false, [], "nvmlInit_v2"),
        [Cudart] = new(Cudart, "CUDA runtime", ["libcudart.so.13", "libcudart.so.12", "libcudart.so"], "MICRO_CUDART_PATH", true, [], "cudaGetDeviceCount"),
        [Hip] = new(Hip, "HIP runtime", ["libamdhip64.so.7", "libamdhip64.so.6", "libamdhip64.so"], "MICRO_HIP_PATH", false, [], "hipGetDeviceCount"),
        [Nccl] = new(Nccl, "NCCL", ["libnccl.so.2", "libnccl.so"], "MICRO_NCCL_PATH", true, [], "ncclGetVersion"),
        [Rccl] = new(Rccl, "RCCL", ["librccl.so.1", "librccl.so"], "MICRO_RCCL_PATH", false, [], "ncclGetVersion"),
        [HostStream] = new(HostStream, "libmicro_hoststream", ["libmicro_hoststream.so"], "MICRO_HOSTSTREAM_PATH", false, [], "micro_hs_abi_version"),
        [Coll] = new(Coll, "libmicro_coll", ["libmicro_coll.so"], "MICRO_COLL_PATH", false, [], "micro_coll_abi_version"),
    };

    /// <summary>A search's outcome: the handle and file, or the one-line reason it failed.</summary>
    public sealed record Resolution(IntPtr Handle, string? Path, string? Why)
    {
        public bool Found => Handle != IntPtr.Zero;
    }

    private static readonly ConcurrentDictionary<string, Resolution> Found = new();
    private static readonly object SearchGate = new();
    private static readonly ConcurrentDictionary<string, LoadedLibrary> LoadedLog = new();

    // The libraries one run loaded (a CLI invocation: its async flow, and the tasks and threads it starts). Not the
    // process's log: two runs in one process (tests) must not list each other's.
    private static readonly AsyncLocal<ConcurrentDictionary<string, byte>?> RunLoads = new();

    private static int _registered;

    /// <summary>
    /// Hooks the logical names into native library resolution once; every binding class calls it from its static
    /// constructor. A DllImport resolver runs before the runtime's own probing, which would otherwise find Micro's
    /// shims by their logical names beside the executable ("micro_hoststream" is libmicro_hoststream.so) and ignore
    /// MICRO_HOSTSTREAM_PATH: the resolver alone decides which file is loaded. A name it does not know, or a library
    /// it did not find, is left to the runtime.
    /// </summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        Specs.ContainsKey(name) ? Load(name).Handle : IntPtr.Zero;

    /// <summary>
    /// The one-line refusal for a MICRO_&lt;LIB&gt;_PATH override that loads but is not that library (it lacks the
    /// spec's <see cref="LibrarySpec.EntryPoint"/>: MICRO_HOSTSTREAM_PATH=libc.so.6), or null when every override set is
    /// sound. An override that is not found is left to the verb that needs the library ("no X: not found (...)").
    /// </summary>
    public static string? WrongOverride()
    {
        foreach (var spec in Specs.Values)
        {
            var value = Environment.GetEnvironmentVariable(spec.PathVariable);
            if (string.IsNullOrEmpty(value)) continue;
            var r = Load(spec.Logical);
            if (r.Found && !NativeLibrary.TryGetExport(r.Handle, spec.EntryPoint, out _))
                return $"{spec.PathVariable}={value}: {r.Path} has no entry point {spec.EntryPoint}, so it is not the {spec.Display} library; point {spec.PathVariable} at the {spec.Display} library or unset it";
        }
        return null;
    }

    /// <summary>
    /// The library found in the search order. A library once loaded stays the answer for the whole process; a miss is
    /// searched again next time (a test or a caller may set the variable or build the shim in between).
    /// </summary>
    public static Resolution Load(string logical)
    {
        if (Found.TryGetValue(logical, out var hit)) return hit;
        lock (SearchGate)
        {
            if (Found.TryGetValue(logical, out hit)) return hit;
            var spec = Specs[logical];
            var r = Search(spec, Environment.GetEnvironmentVariable(spec.PathVariable), spec.PathVariable);
            if (r.Found) Found[logical] = r;
            return r;
        }
    }

    /// <summary>
    /// As <see cref="Load"/>, or with an explicit file or folder from a command-line option (<paramref name="optionName"/>,
    /// e.g. --nccl-path), which is then the only place looked at.
    /// </summary>
    public static Resolution Load(string logical, string? explicitPath, string optionName) =>
        string.IsNullOrEmpty(explicitPath) ? Load(logical) : Search(Specs[logical], explicitPath, optionName);

    private static Resolution Search(LibrarySpec spec, string? overrideValue, string overrideName)
    {
        foreach (var candidate in LibrarySearch.Candidates(spec, overrideValue))
        {
            var dir = Path.IsPathRooted(candidate) ? Path.GetDirectoryName(candidate) : null;
            if (dir is not null && !File.Exists(candidate)) continue;
            if (dir is not null) LoadCompanions(spec, dir);
            if (!NativeLibrary.TryLoad(candidate, out var handle)) continue;
            var path = dir is null ? DescribeSystemLoad(candidate) : Path.GetFullPath(candidate);
            LoadedLog[spec.Logical] = new LoadedLibrary(spec.Logical, spec.Display, path);
            RunLoads.Value?.TryAdd(spec.Logical, 0);
            return new Resolution(handle, path, null);
        }
        var hint = spec.Logical.StartsWith("micro_", StringComparison.Ordinal)
            ? $"build it with ./scripts/build or set {spec.PathVariable} to the file or its folder"
            : $"set {spec.PathVariable} to the library file or its folder";
        return new Resolution(IntPtr.Zero, null, $"no {spec.Display}: not found ({LibrarySearch.Describe(spec, overrideValue, overrideName)}); {hint}");
    }

    private static void LoadCompanions(LibrarySpec spec, string dir)
    {
        foreach (var pattern in spec.Companions)
        {
            string[] files;
            try { files = Directory.GetFiles(dir, pattern); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            foreach (var f in files.OrderByDescending(f => f, StringComparer.Ordinal))
                if (NativeLibrary.TryLoad(f, out _)) break;
        }
    }

    /// <summary>
    /// For a bare soname the system loader found, the file it came from (from /proc/self/maps): the name itself, or its
    /// stem up to ".so" followed by a version ("libcuda.so.1" is libcuda.so.550.54.15; "libc" is libc.so.6, never
    /// libclrjit.so).
    /// </summary>
    private static string DescribeSystemLoad(string soname)
    {
        var so = soname.IndexOf(".so", StringComparison.Ordinal);
        var stem = so >= 0 ? soname[..(so + 3)] : soname + ".so";
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var idx = line.IndexOf('/');
                if (idx < 0) continue;
                var file = line[idx..];
                var name = Path.GetFileName(file);
                if (name == soname || name == stem || name.StartsWith(stem + ".", StringComparison.Ordinal)) return file;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return soname + " (system loader)";
    }

    /// <summary>True when the library loads; otherwise <paramref name="why"/> is the one-line reason.</summary>
    public static bool TryLoad(string logical, out string why)
    {
        var r = Load(logical);
        why = r.Why ?? "";
        return r.Found;
    }

    /// <summary>The file the library was loaded from, or null (with nothing thrown) when it is not on this machine.</summary>
    public static string? PathOf(string logical) => Load(logical).Path;

    /// <summary>Throws <see cref="NativeLibraryMissingException"/> with the one-line reason when the library is missing.</summary>
    public static void Require(string logical)
    {
        if (!TryLoad(logical, out var why)) throw new NativeLibraryMissingException(why);
    }

    /// <summary>Starts recording the libraries this run (the calling async flow) loads: <see cref="LoadedInRun"/>.</summary>
    public static void BeginRun() => RunLoads.Value = new();

    /// <summary>The libraries this run loaded since <see cref="BeginRun"/>, in the order of <see cref="Specs"/> (none without it).</summary>
    public static IReadOnlyList<LoadedLibrary> LoadedInRun() => RunLoads.Value is { } run
        ? Loaded().Where(l => run.ContainsKey(l.Logical)).ToList()
        : [];

    /// <summary>Every library this process loaded through the resolver, in the order of <see cref="Specs"/>.</summary>
    public static IReadOnlyList<LoadedLibrary> Loaded() =>
        Specs.Keys.Where(LoadedLog.ContainsKey).Select(k => LoadedLog[k]).ToList();
}
