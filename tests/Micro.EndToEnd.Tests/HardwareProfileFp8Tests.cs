using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.EndToEnd.SpeedOfLight;
using Micro.Tests.Shared;

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
