using Micro.Devices.Cuda;
using Micro.Devices.Native;
using Micro.Devices.Nvml;

namespace Micro.Gpu.Tests;

public class NativeLibraryTests
{
    private static readonly LibrarySpec Nvrtc = NativeLibraries.Specs[NativeLibraries.Nvrtc];

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
    public void Without_override_sonames_come_first_newest_major_first()
    {
        var c = LibrarySearch.Candidates(Nvrtc, null);
        Assert.Equal("libnvrtc.so.13", c[0]);
        Assert.Equal("libnvrtc.so.12", c[1]);
        Assert.Contains(c, p => p.StartsWith("/usr/local/cuda/lib64/", StringComparison.Ordinal));
    }

    [Fact]
    public void Python_package_lib_folders_are_searched_for_cuda13_and_cuda12_layouts()
    {
        var site = Directory.CreateTempSubdirectory().FullName;
        Directory.CreateDirectory(Path.Combine(site, "nvidia", "cu13", "lib"));
        Directory.CreateDirectory(Path.Combine(site, "nvidia", "cublas", "lib"));
        Environment.SetEnvironmentVariable("MICRO_PYTHON_SITE", site);
        try
        {
            var dirs = LibrarySearch.VendorDirectories(pythonPackages: true).ToList();
            Assert.Contains(Path.Combine(site, "nvidia", "cu13", "lib"), dirs);
            Assert.Contains(Path.Combine(site, "nvidia", "cublas", "lib"), dirs);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MICRO_PYTHON_SITE", null);
        }
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
}
