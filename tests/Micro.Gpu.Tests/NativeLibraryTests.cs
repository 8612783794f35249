using Micro.Devices.Collectives;
using Micro.Devices.Cuda;
using Micro.Devices.Native;
using Micro.Devices.Nvml;
using Micro.Suites.Collectives;
using Micro.Suites.Running;

namespace Micro.Gpu.Tests;

/// <summary>
/// The one native-library resolver, without a GPU: the search order, MICRO_&lt;LIB&gt;_PATH (file or folder) honoured,
/// and a missing library as one line that names what was looked for and the variable to set.
/// A stand-in library (zlib, present on every Debian) plays the vendor library where a real load must happen.
/// </summary>
[Collection("native-library-environment")]
public class NativeLibraryTests
{
    private static readonly LibrarySpec Nvrtc = NativeLibraries.Specs[NativeLibraries.Nvrtc];
    private const string StandIn = "/lib/x86_64-linux-gnu/libz.so.1";

    [Fact]
    public void Every_library_has_one_spec_with_a_MICRO_LIB_PATH_variable()
    {
        string[] expected = ["micro-cuda", "micro-nvrtc", "micro-cublas", "micro-cublaslt", "micro-nvml", "micro-cudart", "micro-hip", "micro-nccl", "micro-rccl", "micro_hoststream", "micro_coll"];
        Assert.Equal(expected, NativeLibraries.Specs.Keys);
        Assert.All(NativeLibraries.Specs.Values, s => Assert.Matches("^MICRO_[A-Z]+_PATH$", s.PathVariable));
        Assert.Equal(NativeLibraries.Specs.Count, NativeLibraries.Specs.Values.Select(s => s.PathVariable).Distinct().Count());
        Assert.Equal("MICRO_CUBLASLT_PATH", NativeLibraries.Specs[NativeLibraries.CublasLt].PathVariable);
        Assert.Equal("MICRO_CUDART_PATH", NativeLibraries.Specs[NativeLibraries.Cudart].PathVariable);
    }

    [Fact]
    public void Override_directory_is_the_only_place_searched()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var c = LibrarySearch.Candidates(Nvrtc, dir);
        Assert.Equal([Path.Combine(dir, "libnvrtc.so.13"), Path.Combine(dir, "libnvrtc.so.12")], c);
    }

    [Fact]
    public void Override_file_is_used_as_given()
    {
        Assert.Equal(["/opt/x/libnvrtc.so.13.0.48"], LibrarySearch.Candidates(Nvrtc, "/opt/x/libnvrtc.so.13.0.48"));
    }

    [Fact]
    public void Search_order_is_micro_folders_then_the_system_loader_then_toolkit_then_python_wheels()
    {
        var native = Directory.CreateTempSubdirectory().FullName;
        var site = Directory.CreateTempSubdirectory().FullName;
        Directory.CreateDirectory(Path.Combine(site, "nvidia", "cu13", "lib"));
        using var env = new EnvScope(("MICRO_NATIVE_DIR", native), ("MICRO_PYTHON_SITE", site));
        var c = LibrarySearch.Candidates(Nvrtc, null).ToList();
        int At(string p) => c.IndexOf(p) is var i and >= 0 ? i : throw new Xunit.Sdk.XunitException($"{p} not in [{string.Join(", ", c)}]");
        var beside = At(Path.Combine(Path.GetFullPath(AppContext.BaseDirectory), "libnvrtc.so.13"));
        var nativeDir = At(Path.Combine(native, "libnvrtc.so.13"));
        var soname13 = At("libnvrtc.so.13");
        var soname12 = At("libnvrtc.so.12");
        var toolkit = At("/usr/local/cuda/lib64/libnvrtc.so.13");
        var wheel = At(Path.Combine(site, "nvidia", "cu13", "lib", "libnvrtc.so.13"));
        Assert.True(beside < nativeDir && nativeDir < soname13 && soname13 < soname12 && soname12 < toolkit && toolkit < wheel, string.Join(", ", c));
    }

    [Fact]
    public void Python_package_lib_folders_are_searched_for_cuda13_and_cuda12_layouts()
    {
        var site = Directory.CreateTempSubdirectory().FullName;
        Directory.CreateDirectory(Path.Combine(site, "nvidia", "cu13", "lib"));
        Directory.CreateDirectory(Path.Combine(site, "nvidia", "cublas", "lib"));
        using var env = new EnvScope(("MICRO_PYTHON_SITE", site));
        var dirs = LibrarySearch.VendorDirectories(pythonPackages: true).ToList();
        Assert.Contains(Path.Combine(site, "nvidia", "cu13", "lib"), dirs);
        Assert.Contains(Path.Combine(site, "nvidia", "cublas", "lib"), dirs);
    }

    [Fact]
    public void Env_override_folder_is_honoured_and_the_load_is_listed()
    {
        if (!File.Exists(StandIn)) Assert.Skip($"{StandIn} (the stand-in library) is not on this machine");
        var dir = Directory.CreateTempSubdirectory().FullName;
        // Only the second soname exists: the folder is searched in the spec's file order.
        File.Copy(StandIn, Path.Combine(dir, "libamdhip64.so.6"));
        using var env = new EnvScope(("MICRO_HIP_PATH", dir));
        var r = NativeLibraries.Load(NativeLibraries.Hip);
        Assert.True(r.Found, r.Why);
        Assert.Equal(Path.Combine(dir, "libamdhip64.so.6"), r.Path);
        Assert.Contains(NativeLibraries.Loaded(), l => l.Display == "HIP runtime" && l.Path == r.Path);
    }

    [Fact]
    public void Env_override_that_does_not_exist_is_one_line_naming_the_variable()
    {
        using var env = new EnvScope(("MICRO_RCCL_PATH", "/nonexistent/librccl.so.1"));
        var r = NativeLibraries.Load(NativeLibraries.Rccl);
        if (r.Found) Assert.Skip("RCCL was already loaded in this process");
        Assert.Equal("no RCCL: not found (MICRO_RCCL_PATH=/nonexistent/librccl.so.1); set MICRO_RCCL_PATH to the library file or its folder", r.Why);
    }

    [Fact]
    public void An_option_path_is_the_only_place_looked_and_is_named_in_the_message()
    {
        var r = NativeLibraries.Load(NativeLibraries.Nccl, "/nonexistent/libnccl.so.2", "--nccl-path");
        Assert.False(r.Found);
        Assert.StartsWith("no NCCL: not found (--nccl-path=/nonexistent/libnccl.so.2)", r.Why);
    }

    [Fact]
    public void Missing_driver_gives_one_clear_line_and_no_exception()
    {
        if (NativeLibraries.TryLoad(NativeLibraries.Cuda, out _)) Assert.Skip("libcuda is present on this machine");
        Assert.False(CudaDriver.TryInitialize(out var why));
        Assert.StartsWith("no CUDA driver: not found", why);
        Assert.Contains("MICRO_CUDA_PATH", why);
        Assert.DoesNotContain('\n', why);
        var probe = new CudaDeviceProbe().Probe();
        Assert.Empty(probe.Devices);
        Assert.Equal(why, probe.Unavailable);
        var ex = Assert.Throws<NativeLibraryMissingException>(CudaDriver.Initialize);
        Assert.Equal(why, ex.Message);
    }

    [Fact]
    public void Missing_nvml_probe_reports_instead_of_throwing()
    {
        if (NativeLibraries.TryLoad(NativeLibraries.Nvml, out _)) Assert.Skip("libnvidia-ml is present on this machine");
        var r = new NvmlProbe().Probe();
        Assert.Empty(r.Devices);
        Assert.StartsWith("no NVML: not found", r.Unavailable);
    }

    [Fact]
    public void Session_open_without_driver_returns_null_with_reason()
    {
        if (CudaDriver.TryInitialize(out _)) Assert.Skip("a CUDA driver is present on this machine");
        Assert.Null(GpuSession.TryOpen(0, out var why));
        Assert.Contains("CUDA driver", why);
    }

    [Fact]
    public void Missing_collectives_shim_is_one_line_with_how_to_build_it()
    {
        using var env = new EnvScope(("MICRO_COLL_PATH", "/nonexistent/libmicro_coll.so"));
        // With the variable set, only a load made earlier in this process can still succeed.
        if (NativeLibraries.PathOf(NativeLibraries.Coll) is { } loaded) Assert.Skip($"libmicro_coll was already loaded from {loaded}");
        var e = Assert.Throws<CollectiveException>(() => Communicator.Create(CollectiveBackend.Mpi, null, -1, 5));
        Assert.Equal(CollectiveException.StatusNoLibrary, e.Status);
        Assert.Equal("no libmicro_coll: not found (MICRO_COLL_PATH=/nonexistent/libmicro_coll.so); build it with ./scripts/build or set MICRO_COLL_PATH to the file or its folder", e.Message);
    }

    [Fact]
    public void Collectives_suite_checks_the_runtime_through_the_resolver_so_MICRO_CUDART_PATH_counts()
    {
        if (!File.Exists(StandIn)) Assert.Skip($"{StandIn} (the stand-in library) is not on this machine");
        var dir = Directory.CreateTempSubdirectory().FullName;
        File.Copy(StandIn, Path.Combine(dir, "libnccl.so.2"));
        using var env = new EnvScope(("MICRO_NCCL_PATH", dir), ("MICRO_CUDART_PATH", "/nonexistent/libcudart.so.13"));
        if (NativeLibraries.PathOf(NativeLibraries.Cudart) is { } loaded) Assert.Skip($"a CUDA runtime was already loaded from {loaded}");
        var outcome = new CollectivesSuite().Run(new SuiteRequest(), new ListSink(), NullProgress.Instance);
        var line = Assert.Single(outcome.Skipped);
        if (line.StartsWith("collectives: no NCCL", StringComparison.Ordinal)) Assert.Skip("another NCCL was already loaded in this process");
        Assert.Equal("collectives: no CUDA runtime: not found (MICRO_CUDART_PATH=/nonexistent/libcudart.so.13); set MICRO_CUDART_PATH to the library file or its folder", line);
    }

    /// <summary>Sets environment variables for one test and restores them after.</summary>
    private sealed class EnvScope : IDisposable
    {
        private readonly (string Name, string? Old)[] _saved;

        public EnvScope(params (string Name, string? Value)[] vars)
        {
            _saved = vars.Select(v => (v.Name, Environment.GetEnvironmentVariable(v.Name))).ToArray();
            foreach (var (name, value) in vars) Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose()
        {
            foreach (var (name, old) in _saved) Environment.SetEnvironmentVariable(name, old);
        }
    }

    [Fact]
    public async Task A_run_lists_only_the_libraries_its_own_flow_loaded()
    {
        // Two CLI runs in one process (the tests' in-process runs) must not list each other's libraries as theirs.
        if (!File.Exists(StandIn)) Assert.Skip($"{StandIn} (the stand-in library) is not on this machine");
        IReadOnlyList<LoadedLibrary> other = [];
        await Task.Run(() =>
        {
            NativeLibraries.BeginRun();
            Assert.True(NativeLibraries.Load(NativeLibraries.Hip, StandIn, "--hip-path").Found);
            other = NativeLibraries.LoadedInRun();
        }, TestContext.Current.CancellationToken);
        Assert.Contains(other, l => l.Logical == NativeLibraries.Hip);

        NativeLibraries.BeginRun();
        Assert.Empty(NativeLibraries.LoadedInRun());
        Assert.True(NativeLibraries.Load(NativeLibraries.Hip, StandIn, "--hip-path").Found);
        Assert.Contains(NativeLibraries.LoadedInRun(), l => l.Logical == NativeLibraries.Hip && l.Path == StandIn);
        // Tasks the run starts load on its behalf.
        NativeLibraries.BeginRun();
        await Task.Run(() => NativeLibraries.Load(NativeLibraries.Hip, StandIn, "--hip-path"), TestContext.Current.CancellationToken);
        Assert.Contains(NativeLibraries.LoadedInRun(), l => l.Logical == NativeLibraries.Hip);
    }
}
