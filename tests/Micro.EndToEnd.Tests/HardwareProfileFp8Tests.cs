using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.EndToEnd.SpeedOfLight;
using Micro.Tests.Shared;
using Micro.Core.Models;

namespace Micro.EndToEnd.Tests;

public class HardwareProfileFp8Tests
{
    [Fact]
    public void Fp8_models_use_the_fp8_rate_and_others_the_bf16_rate()
    {
        var h200 = HardwareProfile.FromDatasheet("h200");
        Assert.Equal(1978.9, h200.GemmTflopsFor("fp8"));
        Assert.Equal(1978.9, h200.GemmTflopsFor("FP8_E4M3"));
        Assert.Equal(989.4, h200.GemmTflopsFor("bf16"));
        Assert.Equal(989.4, h200.GemmTflopsFor("int4"));
        Assert.Equal("datasheet, not measured", h200.Fp8Source);
        Assert.Equal(989.4, (h200 with { Fp8GemmTflops = null }).GemmTflopsFor("fp8")); // no fp8 rate known: bf16
    }

    [Fact]
    public void Mxfp4_with_mxfp8_activations_runs_at_the_fp8_rate_only_where_the_gpu_has_block_scaled_cores()
    {
        var b200 = HardwareProfile.FromDatasheet("b200");
        var h200 = HardwareProfile.FromDatasheet("h200");
        Assert.NotNull(b200.Fp4GemmTflops);
        Assert.Equal(b200.Fp8GemmTflops!.Value, b200.GemmTflopsFor("mxfp4_mxfp8"));
        Assert.Equal(b200.GemmTflops, b200.GemmTflopsFor("mxfp4")); // W4A16 by default
        Assert.Equal(989.4, h200.GemmTflopsFor("mxfp4_mxfp8")); // Hopper: vLLM runs it as W4A16
        Assert.Equal(WeightFormat.BytesOf("mxfp4", "test"), WeightFormat.BytesOf("mxfp4_mxfp8", "test"));
    }

    [Fact]
    public void The_prefill_bound_of_fp8_weights_runs_at_the_fp8_rate()
    {
        var m = ModelConfigReader.Read(TestPaths.SharedFile("models/config_llama31_8b.json"));
        var h200 = HardwareProfile.FromDatasheet("h200");
        var bf16 = new SolModel(m, WeightFormat.For(m, "bf16"), h200, 1, 2, ParameterCountMode.DecodeReads);
        var fp8 = new SolModel(m, WeightFormat.For(m, "fp8"), h200, 1, 2, ParameterCountMode.DecodeReads);
        Assert.Equal(989.4, bf16.GemmTflops);
        Assert.Equal(1978.9, fp8.GemmTflops);
        // Same FLOPs, twice the rate: half the time.
        Assert.Equal(bf16.PrefillSeconds(1536) * 989.4 / 1978.9, fp8.PrefillSeconds(1536), 9);
    }

    [Fact]
    public void A_measured_gemm_fp8_ceiling_replaces_the_datasheet_rate()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "ceilings.json");
        CeilingsFile.Write(path, new CeilingsProfile
        {
            Context = RunContext.Capture("test"),
            Devices = [new DeviceCeilings { Device = "NVIDIA H200", Ceilings =
            [
                new Ceiling { Name = CeilingNames.MemoryBandwidth, Value = 4300, Unit = "GB/s", Suite = "memory", Case = "copy", Backend = "native" },
                new Ceiling { Name = CeilingNames.GemmBf16, Value = 800, Unit = "TFLOP/s", Suite = "gemm", Case = "bf16_square_8192x8192x8192", Backend = "cublaslt" },
                new Ceiling { Name = CeilingNames.GemmFp8, Value = 1300, Unit = "TFLOP/s", Suite = "gemm", Case = "fp8_square_8192x8192x8192", Backend = "cublaslt" },
            ] }],
        });
        var hw = HardwareProfile.FromCeilings(path);
        Assert.Equal(1300, hw.GemmTflopsFor("fp8"));
        Assert.Equal(800, hw.GemmTflopsFor("bf16"));
        Assert.StartsWith("measured gemm_fp8 from gemm/fp8_square", hw.Fp8Source);
    }
}

public class EnergyFloorTests
{
    [Fact]
    public void Analyze_gives_the_energy_floor_per_output_token_from_measured_board_power_at_the_bound()
    {
        var m = Micro.Core.Models.ModelConfigReader.Read(TestPaths.SharedFile("models/config_llama31_8b.json"));
        var hw = HardwareProfile.FromDatasheet("h200") with { MemoryBoundWatts = 600, ComputeBoundWatts = 690 };
        var sol = new SolModel(m, WeightFormat.For(m, null), hw, 1, 2, ParameterCountMode.AllParameters);
        using var dir = new TempDir();
        var points = Micro.EndToEnd.Ingest.VllmResultReader.ReadFile(dir.Write("d.json", TestFiles.Detailed));
        var o = new Micro.EndToEnd.Analysis.AnalysisOptions
        {
            Deployment = Micro.EndToEnd.Deployment.Deployment.Aggregated(1), GpuHourPrice = 3.6, PriceSource = "test", Sol = sol,
        };
        var r = Micro.EndToEnd.Analysis.Analyzer.Analyze(points, o, ["d.json"]);
        var p = Assert.Single(r.Points);
        Assert.Equal("memory", p.SolBound);
        Assert.Equal(600 * (p.SolTpotMs!.Value / 1000) / p.SolBatchPerReplica!.Value, p.SolEnergyPerOutputTokenJ!.Value, 12);
        Assert.Contains(r.Assumptions, a => a.Contains("600 W memory-bound", StringComparison.Ordinal));

        var datasheetOnly = Micro.EndToEnd.Analysis.Analyzer.Analyze(points, o with { Sol = new SolModel(m, WeightFormat.For(m, null), HardwareProfile.FromDatasheet("h200"), 1, 2, ParameterCountMode.AllParameters) }, ["d.json"]);
        Assert.Null(Assert.Single(datasheetOnly.Points).SolEnergyPerOutputTokenJ); // no measured power: n/a, not a guess
        Assert.Contains(datasheetOnly.Assumptions, a => a.StartsWith("Energy floor per output token: n/a", StringComparison.Ordinal));
    }
}
