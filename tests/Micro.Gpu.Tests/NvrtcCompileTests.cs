using Micro.Devices.Nvrtc;

namespace Micro.Gpu.Tests;

/// <summary>
/// Real NVRTC compiles of the embedded kernels. NVRTC runs on the CPU, so this needs the library, not a GPU
/// (set MICRO_NVRTC_PATH to a libnvrtc.so; skipped when there is none).
/// </summary>
public class NvrtcCompileTests
{
    private static void RequireNvrtc()
    {
        if (!NvrtcCompiler.TryLoad(out var why)) Assert.Skip("needs NVRTC (MICRO_NVRTC_PATH=/path/to/libnvrtc.so.*): " + why);
    }

    [Theory]
    [InlineData("stream.cu")]
    [InlineData("launch.cu")]
    [InlineData("gemm_reference.cu")]
    public void Embedded_kernels_compile_to_a_cubin_for_sm90(string file)
    {
        RequireNvrtc();
        var dir = Directory.CreateTempSubdirectory().FullName;
        Environment.SetEnvironmentVariable("MICRO_CACHE_DIR", dir);
        try
        {
            var k = NvrtcCompiler.CompileEmbedded(file, "sm_90");
            Assert.Equal("cubin", k.Kind);
            Assert.False(k.FromCache);
            Assert.True(k.Image.Length > 1000);
            Assert.Equal(0x7F, k.Image[0]); // ELF
            var again = NvrtcCompiler.CompileEmbedded(file, "sm_90");
            Assert.True(again.FromCache);
            Assert.Equal(k.Image, again.Image);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MICRO_CACHE_DIR", null);
        }
    }

    [Fact]
    public void Nvrtc_ptx_of_the_stream_kernels_uses_16_byte_accesses()
    {
        RequireNvrtc();
        var k = NvrtcCompiler.Compile("stream.cu", KernelSources.Read("stream.cu"), "compute_90", KernelSources.Headers());
        Assert.Equal("ptx", k.Kind);
        var ptx = System.Text.Encoding.UTF8.GetString(k.Image);
        StreamPtx.AssertVectorAccesses(ptx);
    }

    [Fact]
    public void A_compile_error_carries_the_nvrtc_log()
    {
        RequireNvrtc();
        var e = Assert.Throws<NvrtcException>(() =>
            NvrtcCompiler.Compile("broken.cu", "#include \"micro_cuda.h\"\nMC_KERNEL void k() { mc_bogus(); }\n", "sm_90", KernelSources.Headers()));
        Assert.Equal(6, e.Code);
        Assert.Contains("mc_bogus", e.Log);
        Assert.Contains("NVRTC_ERROR_COMPILATION", e.Message);
    }
}
