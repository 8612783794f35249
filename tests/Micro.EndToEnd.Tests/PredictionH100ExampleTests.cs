using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.SpeedOfLight;
using Micro.Tests.Shared;

namespace Micro.EndToEnd.Tests;

/// <summary>
/// No calibration: the committed H100 profile (scripts/examples/h100-2026-11-22/gpu) predicts the Llama-3.1-8B bf16
/// decode step of the e2e check (torch "ideal engine", context 0, CUDA graph): 6.177 ms at batch 1, 6.788 ms at 64.
/// </summary>
public class PredictionH100ExampleTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 6.177)]
    [InlineData(64, 6.788)]
    public void PredictedDecodeStepIsWithinAQuarterOfTheTorchStep(int batch, double torchMs)
    {
        var path = Path.Combine(TestPaths.RepoRoot, "scripts", "examples", "h100-2026-11-22", "gpu", "ceilings.json");
        var device = DeviceProfile.FromCeilings(path);
        Assert.True(device.Measured);
        Assert.NotEmpty(device.Gemm);
        Assert.NotNull(device.KernelLaunch);
        var m = PredictionFixtures.Llama8B();
        // The prior on a measured profile: its measured graph replay per kernel, no host overhead beyond it (a torch step has none of vLLM's).
        var step = new StepTimeModel(m, WeightFormat.For(m, null), device, 1, 1, 2,
            ParameterCarry.ForProfile(PhysicalParameters.Prior(false).With(PhysicalParameters.StepOverhead, 0).With(PhysicalParameters.PerSequenceOverhead, 0), device));
        var cost = step.Cost(new StepLoad(batch, 0, 0, batch, 0, 0, 0, 0));
        var error = (cost.Total * 1e3 - torchMs) / torchMs * 100;
        output.WriteLine($"batch {batch}: predicted {cost.Total * 1e3:0.000} ms (weights {cost.Weights * 1e3:0.000}, compute {cost.Compute * 1e3:0.000}, overhead {cost.Overhead * 1e3:0.000}) vs torch {torchMs} ms: {error:+0.0;-0.0}%");
        Assert.InRange(error, -25, 25);
    }
}
