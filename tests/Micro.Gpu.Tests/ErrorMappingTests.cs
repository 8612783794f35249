using Micro.Devices.Cublas;
using Micro.Devices.Cuda;
using Micro.Devices.Native;
using Micro.Devices.Nvrtc;

namespace Micro.Gpu.Tests;

public class ErrorMappingTests
{
    [Fact]
    public void Cuda_error_names_the_call_the_code_and_the_text()
    {
        var e = new CudaException("cuMemAlloc_v2(1024 bytes)", 2, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory");
        Assert.Equal("cuMemAlloc_v2(1024 bytes) failed: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory", e.Message);
        Assert.Equal(2, e.Code);
    }

    [Fact]
    public void Cuda_error_without_driver_still_names_the_result()
    {
        if (NativeLibraries.TryLoad(NativeLibraries.Cuda, out _)) Assert.Skip("libcuda is present: the driver describes its own codes");
        var e = Cu.Error(999, "cuLaunchKernel(micro_tick, grid=1, block=32)");
        Assert.StartsWith("cuLaunchKernel(micro_tick, grid=1, block=32) failed: CUresult 999 (999)", e.Message);
        Assert.Throws<CudaException>(() => Cu.Check(1, "cuInit"));
        Cu.Check(0, "cuInit");
    }

    [Theory]
    [InlineData(0, "NVRTC_SUCCESS")]
    [InlineData(5, "NVRTC_ERROR_INVALID_OPTION")]
    [InlineData(6, "NVRTC_ERROR_COMPILATION")]
    [InlineData(11, "NVRTC_ERROR_INTERNAL_ERROR")]
    [InlineData(42, "nvrtcResult 42")]
    public void Nvrtc_result_names_follow_nvrtc_h(int code, string name) => Assert.Equal(name, NvrtcCompiler.FallbackName(code));

    [Fact]
    public void Nvrtc_compile_failure_shows_the_log()
    {
        var e = new NvrtcException("nvrtcCompileProgram(stream.cu, --gpu-architecture=sm_90)", 6, "NVRTC_ERROR_COMPILATION",
            "stream.cu(12): error: identifier \"mc_bogus\" is undefined\n");
        Assert.Contains("nvrtcCompileProgram(stream.cu, --gpu-architecture=sm_90) failed: NVRTC_ERROR_COMPILATION (6)", e.Message);
        Assert.Contains("--- NVRTC log ---\nstream.cu(12): error: identifier \"mc_bogus\" is undefined", e.Message);
    }

    [Fact]
    public void Nvrtc_options_target_the_exact_architecture()
    {
        Assert.Contains("--gpu-architecture=sm_90", NvrtcCompiler.Options("sm_90"));
        Assert.Contains("--gpu-architecture=sm_90a", NvrtcCompiler.Options("sm_90a"));
        Assert.DoesNotContain(NvrtcCompiler.Options("sm_90"), o => o.Contains("fast-math", StringComparison.Ordinal));
    }

    [Fact]
    public void Cublas_status_names_without_the_library()
    {
        if (NativeLibraries.TryLoad(NativeLibraries.Cublas, out _)) Assert.Skip("libcublas is present: it describes its own statuses");
        Assert.Equal("CUBLAS_STATUS_INVALID_VALUE", CublasHandle.Describe(7));
        Assert.Equal("CUBLAS_STATUS_NOT_SUPPORTED", CublasHandle.Describe(15));
        Assert.Equal("cublasGemmEx(m=1) failed: CUBLAS_STATUS_ARCH_MISMATCH (8)",
            new CublasException("cublasGemmEx(m=1)", 8, CublasHandle.Describe(8)).Message);
    }
}
