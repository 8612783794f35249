using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Tests;

/// <summary>
/// Expert parallelism inside a replica: vLLM dispatches with all_to_all only with more than one data-parallel rank
/// (FusedMoEParallelConfig.use_all2all_kernels: dp_size > 1 and use_ep); with one, the experts' partial outputs are
/// summed by the same two all_reduce per layer as under TP.
/// </summary>
public class PredictionExpertParallelTests
{
    private static readonly Micro.Core.Models.ModelConfig Mixtral = PredictionFixtures.MixtralLike();

    private static StepTimeModel Step(int tp, int ep) =>
        new(Mixtral, WeightFormat.For(Mixtral, null), DeviceProfile.FromDatasheet("h100-sxm"), tp, ep, 2, PredictionFixtures.Params());

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(8192)]
    public void EpInsideAReplicaCostsTheSameCollectivesAsTp(int tokens)
    {
        var tp = Step(8, 1).Collectives(tokens);
        var ep = Step(8, 8).Collectives(tokens);
        Assert.True(tp > 0);
        Assert.Equal(tp, ep, 12);
        // Two all_reduce of the step's bf16 activations per layer over the 8 TP ranks.
        var one = Step(8, 8).CollectiveSeconds("all_reduce", (long)tokens * Mixtral.HiddenSize * 2, 8);
        Assert.Equal(2 * Mixtral.NumLayers * one, ep, 12);
    }

    [Fact]
    public void EpOverDataParallelRanksDispatchesAndCombinesWithAllToAll()
    {
        const int tokens = 64;
        var step = Step(1, 8);
        var bytes = (long)tokens * Mixtral.HiddenSize * 2;
        var a2a = step.CollectiveSeconds("alltoall", bytes * 2, 8);
        Assert.True(a2a > 0);
        // TP 1: no all_reduce; every layer is MoE: dispatch and combine each.
        Assert.Equal(2 * Mixtral.NumLayers * a2a, step.Collectives(tokens), 12);
        Assert.Contains("all_to_all", step.CollectiveSource);
        Assert.Equal(0, Step(1, 1).Collectives(tokens));
    }

    [Fact]
    public void EpSplitsWholeExpertsSoEachGpuStoresTheSameBytesAsTp() =>
        Assert.Equal(Step(8, 1).WeightBytesPerGpu, Step(8, 8).WeightBytesPerGpu, 0);
}
