using System.Diagnostics;
using Micro.Devices.Cuda;
using Micro.Devices.Nvml;
using Micro.Devices.Nvrtc;
using Micro.Tests.Shared;

namespace Micro.Gpu.Tests;

public class KernelSourceTests
{
    [Fact]
    public void Kernel_sources_and_the_compat_header_are_embedded()
    {
        Assert.Contains("kernels/stream.cu", KernelSources.Names);
        Assert.Contains("kernels/launch.cu", KernelSources.Names);
        Assert.Contains("kernels/include/micro_cuda.h", KernelSources.Names);
        Assert.Contains(KernelSources.Headers(), h => h.IncludeName == "micro_cuda.h" && h.Text.Contains("MC_KERNEL", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "kernels", "stream.cu")), KernelSources.Read("stream.cu"));
    }

    [Theory]
    [InlineData("launch.cu", "micro_empty")]
    [InlineData("launch.cu", "micro_tick")]
    public void Every_kernel_the_suites_launch_is_an_unmangled_entry(string file, string kernel) =>
        Assert.Contains($"MC_KERNEL void {kernel}(", KernelSources.Read(file));

    [Fact]
    public void Missing_source_names_what_is_embedded()
    {
        var e = Assert.Throws<FileNotFoundException>(() => KernelSources.Read("nope.cu"));
        Assert.Contains("kernels/stream.cu", e.Message);
    }

    [Fact]
    public void Cache_hash_changes_with_every_input_and_round_trips()
    {
        var h = KernelSources.Headers();
        var baseHash = KernelCache.Hash("src", h, "sm_90", ["a"], "13.0");
        Assert.NotEqual(baseHash, KernelCache.Hash("src2", h, "sm_90", ["a"], "13.0"));
        Assert.NotEqual(baseHash, KernelCache.Hash("src", h, "sm_90a", ["a"], "13.0"));
        Assert.NotEqual(baseHash, KernelCache.Hash("src", h, "sm_90", ["b"], "13.0"));
        Assert.NotEqual(baseHash, KernelCache.Hash("src", h, "sm_90", ["a"], "12.9"));
        Assert.NotEqual(baseHash, KernelCache.Hash("src", [("micro_cuda.h", "changed")], "sm_90", ["a"], "13.0"));
        var dir = Directory.CreateTempSubdirectory().FullName;
        Environment.SetEnvironmentVariable("MICRO_CACHE_DIR", dir);
        try
        {
            Assert.False(KernelCache.TryRead("stream.cu", "sm_90", baseHash, out _, out _));
            KernelCache.Write("stream.cu", "sm_90", baseHash, [1, 2, 3], "cubin");
            Assert.True(KernelCache.TryRead("stream.cu", "sm_90", baseHash, out var img, out var kind));
            Assert.Equal([1, 2, 3], img);
            Assert.Equal("cubin", kind);
            Assert.StartsWith(Path.Combine(dir, "kernels"), KernelCache.PathFor("stream.cu", "sm_90", baseHash, "cubin"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("MICRO_CACHE_DIR", null);
        }
    }

    [Fact]
    public void Kernel_args_pass_a_pointer_to_each_value()
    {
        using var args = new KernelArgs().Pointer(0xDEAD_BEEF_0000UL).F32(2.5f).U64(1UL << 40).U32(7);
        Assert.Equal(4, args.Count);
        for (var i = 0; i < 4; i++) Assert.True(args.PointsAtSlot(i));
        Assert.Equal(0xDEAD_BEEF_0000UL, args.SlotBits(0));
        Assert.Equal(BitConverter.SingleToUInt32Bits(2.5f), (uint)args.SlotBits(1));
        Assert.Equal(1UL << 40, args.SlotBits(2));
        Assert.Equal(7UL, args.SlotBits(3));
    }

    [Fact]
    public void Throttle_reasons_are_named()
    {
        Assert.Equal(["gpu_idle"], NvmlThrottle.Names(0x1));
        Assert.Equal(["sw_power_cap", "hw_thermal_slowdown"], NvmlThrottle.Names(0x44));
        Assert.False(NvmlThrottle.IsThrottling(0x1));
        Assert.True(NvmlThrottle.IsThrottling(0x4));
        Assert.Contains("other(0x1000)", NvmlThrottle.Names(0x1000));
    }

    /// <summary>The same check ctest runs, from xunit: clang-16's PTX for the stream kernels uses 16-byte accesses.</summary>
    [Fact]
    public void Stream_kernels_compile_to_16_byte_loads_and_stores_with_clang16()
    {
        var clang = new[] { "/usr/bin/clang++-16", "/usr/lib/llvm-16/bin/clang++" }.FirstOrDefault(File.Exists);
        if (clang is null) Assert.Skip("clang++-16 is not installed (scripts/setup installs it)");
        var ptx = Path.Combine(Directory.CreateTempSubdirectory().FullName, "stream.ptx");
        var kernels = Path.Combine(TestPaths.RepoRoot, "kernels");
        var psi = new ProcessStartInfo(clang, ["-x", "cuda", "--cuda-gpu-arch=sm_90", "--cuda-device-only", "-nocudainc", "-nocudalib", "-O3", "-S",
            "-I", Path.Combine(kernels, "include"), Path.Combine(kernels, "stream.cu"), "-o", ptx]) { RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        var text = File.ReadAllText(ptx);
        StreamPtx.AssertVectorAccesses(text);
    }
}
