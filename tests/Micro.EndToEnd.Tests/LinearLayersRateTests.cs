using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Tests;

/// <summary>
/// A layer's GEMMs run at the rate of the dtype it is stored in: groups the checkpoint keeps in the base dtype
/// (modules_to_not_convert) at the bf16 rate even when the rest is fp8, so gpt-oss's bf16 attention does not take the
/// fp8 rate its MXFP8-activation experts get on Blackwell.
/// </summary>
public class LinearLayersRateTests
{
    private static double Compute(WeightFormat w)
    {
        var m = PredictionFixtures.Llama8B();
        var step = new StepTimeModel(m, w, DeviceProfile.FromDatasheet("h200"), 1, 1, 2, PhysicalParameters.Prior(false));
        // One 8192-token prefill chunk, one sequence sampled: every linear layer but lm_head is compute-bound.
        return step.Cost(new StepLoad(0, 8192, 1, 1, 0, 0, 0, 0)).Compute;
    }

    [Fact]
    public void Groups_kept_in_the_base_dtype_compute_at_the_bf16_rate()
    {
        var m = PredictionFixtures.Llama8B();
        var fp8 = Compute(WeightFormat.For(m, "fp8"));
        var bf16 = Compute(WeightFormat.For(m, "bf16"));
        var attentionKept = Compute(WeightFormat.For(m, "fp8") with { AttentionQuantized = false });
        var allKept = Compute(WeightFormat.For(m, "fp8") with { AttentionQuantized = false, MlpQuantized = false });
        Assert.Equal(bf16 * 989.4 / 1978.9, fp8, 6); // H200: fp8 1978.9 against bf16 989.4 TFLOP/s
        Assert.InRange(attentionKept, fp8 * 1.05, bf16 * 0.95);
        Assert.Equal(bf16, allKept, 9);
    }
}
