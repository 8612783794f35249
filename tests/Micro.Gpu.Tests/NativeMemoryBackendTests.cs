using Micro.Core.Results;
using Micro.Core.Statistics;
using Micro.Devices.Cuda;
using Micro.Devices.Nvrtc;
using Micro.Suites.Memory;
using Micro.Suites.Memory.Backends;

namespace Micro.Gpu.Tests;

public class NativeMemoryBackendTests
{
    [Fact]
    public void Every_stream_kernel_of_the_case_table_has_a_native_entry_point()
    {
        var source = KernelSources.Read("stream.cu");
        foreach (var k in Enum.GetValues<StreamKernel>())
            Assert.Contains($"MC_KERNEL void {NativeStreamKernels.BaseName(k)}_i##N{(NativeStreamConfig.StoresArrays(k) ? "##SUFFIX" : "")}(", source);
        Assert.Equal(Enum.GetValues<StreamKernel>().Length, Enum.GetValues<StreamKernel>().Select(NativeStreamKernels.BaseName).Distinct().Count());
    }

    [Fact]
    public void Without_a_driver_the_native_provider_says_why()
    {
        if (CudaDriver.TryInitialize(out _)) Assert.Skip("a CUDA driver is present");
        var set = new NativeStreamProvider().Open(quick: true);
        Assert.Empty(set.Backends);
        Assert.StartsWith("no CUDA driver", set.Unavailable);
    }

    private static MeasurementRecord Point(string backend, string kernel, long bytes, double seconds) => new()
    {
        Suite = MemorySuite.SuiteName, Case = kernel, Backend = backend, Device = "GPU", DType = "float", Bytes = bytes,
        Time = Stats.Summarize([seconds, seconds]), Verification = Verification.Ok(1, 0, "t"),
        Bandwidth = MeasurementFactory.BandwidthOf(bytes, Stats.Summarize([seconds, seconds])),
    };

    [Fact]
    public void Ilgpu_over_native_ratio_uses_the_largest_size_both_measured()
    {
        var lines = BackendComparison.Lines([
            Point("ilgpu", "triad", 1_000_000_000, 0.001),  // 1000 GB/s, largest: native lacks it
            Point("ilgpu", "triad", 500_000_000, 0.0002),   // 2500 GB/s
            Point("native", "triad", 500_000_000, 0.0001666666), // ~3000 GB/s
            Point("native", "copy", 500_000_000, 0.0002),   // no ilgpu copy: no line
        ]);
        var line = Assert.Single(lines);
        Assert.Contains("ilgpu/native triad float", line);
        Assert.Contains("= 0.833", line);
        Assert.Contains("below 0.95", line);
    }
}
