using Micro.Core.Ceilings;
using Micro.Devices.Cuda;
using Micro.Suites.Gemm;
using Micro.Suites.Link;

namespace Micro.Gpu.Tests;

public class CountingTests
{
    [Fact]
    public void Gemm_flops_are_two_m_n_k()
    {
        var c = new GemmCase("square", GemmDType.Bf16, 8192, 8192, 8192);
        Assert.Equal(1.099511627776e12, c.Flops);
        var llm = new GemmCase("llama3-8b.down", GemmDType.Bf16, 4096, 4096, 14336);
        Assert.Equal(2.0 * 4096 * 4096 * 14336, llm.Flops);
        Assert.Equal((4096L * 14336 + 14336L * 4096 + 4096L * 4096) * 2, llm.MinimumBytes);
        Assert.Equal("bf16_llama3-8b.down_4096x4096x14336", llm.Name);
    }

    [Fact]
    public void Gemm_sweep_reaches_8192_for_every_precision_and_maps_ceilings()
    {
        var sweep = GemmCase.Sweep(quick: false, dtypes: null);
        foreach (var t in GemmDType.All) Assert.Contains(sweep, c => c.DType == t && c.M == 8192 && c.N == 8192 && c.K == 8192);
        Assert.Equal(GemmCase.LlmShapes.Count, sweep.Count(c => c.Shape != "square" && c.DType == GemmDType.Bf16));
        Assert.Equal(GemmCase.LlmShapes.Count, sweep.Count(c => c.Shape != "square" && c.DType == GemmDType.Fp8));
        Assert.Equal(CeilingNames.GemmBf16, GemmDType.Bf16.Ceiling);
        Assert.Equal(CeilingNames.GemmTf32, GemmDType.Tf32.Ceiling);
        Assert.All(GemmCase.Sweep(false, new HashSet<string> { "fp32" }), c => Assert.Equal("fp32", c.DType.Name));
    }

    [Fact]
    public void Link_bytes_count_each_direction_and_read_plus_write_for_d2d()
    {
        const long G = 1L << 30;
        Assert.Equal(G, new LinkCase(LinkDirection.HostToDevice, HostMemory.Pinned, CopyEngine.CopyEngine, G).CountedBytes);
        Assert.Equal(G, new LinkCase(LinkDirection.DeviceToHost, HostMemory.Pageable, CopyEngine.CopyEngine, G).CountedBytes);
        Assert.Equal(2 * G, new LinkCase(LinkDirection.Bidirectional, HostMemory.Pinned, CopyEngine.CopyEngine, G).CountedBytes);
        Assert.Equal(2 * G, new LinkCase(LinkDirection.DeviceToDevice, HostMemory.Device, CopyEngine.SmKernel, G).CountedBytes);
    }

    [Fact]
    public void Only_pinned_copy_engine_and_d2d_points_are_ceiling_candidates()
    {
        var sweep = LinkCase.Sweep(quick: false, onlySize: null);
        Assert.All(sweep.Where(c => c.Ceiling == CeilingNames.H2DPinned), c =>
            Assert.True(c.Direction == LinkDirection.HostToDevice && c.Memory == HostMemory.Pinned && c.Engine == CopyEngine.CopyEngine));
        Assert.Contains(sweep, c => c.Ceiling == CeilingNames.D2HPinned && c.Bytes == 1L << 30);
        Assert.Contains(sweep, c => c.Ceiling == CeilingNames.D2D);
        Assert.Null(new LinkCase(LinkDirection.HostToDevice, HostMemory.Pageable, CopyEngine.CopyEngine, 1 << 20).Ceiling);
        Assert.Equal("h2d_pinned_ce_1073741824", new LinkCase(LinkDirection.HostToDevice, HostMemory.Pinned, CopyEngine.CopyEngine, 1L << 30).Name);
        Assert.All(sweep, c => Assert.Equal(0, c.Bytes % 16));
    }

    [Fact]
    public void Theoretical_bandwidth_from_memory_clock_and_bus_width()
    {
        // H100 SXM5: 2,619 MHz HBM3 clock reported in kHz, 5120-bit bus -> ~3.35 TB/s.
        Assert.Equal(3352.3, CudaDevice.TheoreticalBandwidthGBps(2_619_000, 5120)!.Value, 1);
        Assert.Null(CudaDevice.TheoreticalBandwidthGBps(null, 5120));
        Assert.Null(CudaDevice.TheoreticalBandwidthGBps(0, 5120));
    }

    [Fact]
    public void Host_pattern_is_never_zero_and_detects_every_wrong_word()
    {
        var w = new uint[100_000];
        HostPattern.Fill(w, 7);
        Assert.DoesNotContain(0u, w);
        Assert.Equal(0, HostPattern.CountWrong(w, 7));
        Assert.Equal(w.Length, HostPattern.CountWrong(w, 8) + w.Count(x => false));
        w[5] ^= 2;
        w[99_999] = 0;
        Assert.Equal(2, HostPattern.CountWrong(w, 7));
        var part = new uint[10];
        HostPattern.Fill(part, 7, offset: 500);
        Assert.Equal(0, HostPattern.CountWrong(part, 7, offset: 500));
    }
}
