using Micro.Core.Results;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>vLLM's own parallelism flags in a run's metadata: --enable-expert-parallel (experts over TP x DP) is read, an
/// MoE's data parallelism shards its experts over TP x DP as vLLM does, pipeline parallelism (not modelled) is refused in one line.</summary>
public class PredictionRunParallelFlagsTests
{
    private static readonly Micro.Core.Models.ModelConfig Moe = PredictionFixtures.MixtralLike();

    private static BenchmarkPoint Run(RunMetadata md) =>
        PredictionCalibrationTests.Synthetic(new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params()), new LoadShape(4, null, 8),
            new LengthSampler(256, 32), "run.json", md);

    [Theory]
    [InlineData("true", "4", null, 4)]
    [InlineData("True", "4", "2", 8)]
    [InlineData("false", "4", null, 1)]
    public void EnableExpertParallelSpreadsTheExpertsOverTpTimesDp(string flag, string tp, string? dp, int ep)
    {
        var deployments = PredictionFixtures.Deployments(PredictionFixtures.Setup(gpus: 8, tp: 8, model: Moe));
        var d = deployments.Resolve(Run(new RunMetadata { EnableExpertParallel = flag, TensorParallelSize = tp, DataParallelSize = dp }));
        Assert.Equal(ep, d.Setup.ExpertParallel);
        Assert.Contains(d.Parts, p => p is { Key: "expert_parallel_size" } && p.Value == ep.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void EnableExpertParallelLeavesADenseModelAloneAndAStatedSizeWins()
    {
        var dense = PredictionFixtures.Deployments(PredictionFixtures.Setup(gpus: 8, tp: 8));
        Assert.Equal(1, dense.Resolve(Run(new RunMetadata { EnableExpertParallel = "true" })).Setup.ExpertParallel);
        var moe = PredictionFixtures.Deployments(PredictionFixtures.Setup(gpus: 8, tp: 8, model: Moe));
        Assert.Equal(2, moe.Resolve(Run(new RunMetadata { EnableExpertParallel = "true", ExpertParallelSize = "2" })).Setup.ExpertParallel);
    }

    [Theory]
    [InlineData(null, "2", "2", 4)]
    [InlineData("1", "1", "4", 4)]
    [InlineData(null, "4", "1", 1)]
    public void DataParallelWithoutExpertParallelShardsAnMoesExpertsOverTpTimesDp(string? ep, string tp, string dp, int expected)
    {
        // vLLM flattens TP across DP for the MoE layers: the experts are spread over every rank even without --enable-expert-parallel.
        var deployments = PredictionFixtures.Deployments(PredictionFixtures.Setup(gpus: 8, tp: 8, model: Moe));
        var d = deployments.Resolve(Run(new RunMetadata { ExpertParallelSize = ep, TensorParallelSize = tp, DataParallelSize = dp }));
        Assert.Equal(expected, d.Setup.ExpertParallel);
        Assert.Contains(d.Parts, p => p.Key == "expert_parallel_size" && p.From == (expected > 1 ? "file" : "flag"));
        var dense = PredictionFixtures.Deployments(PredictionFixtures.Setup(gpus: 8, tp: 8));
        Assert.Equal(1, dense.Resolve(Run(new RunMetadata { TensorParallelSize = tp, DataParallelSize = dp })).Setup.ExpertParallel);
    }

    [Fact]
    public void DataParallelRanksThatDoNotDivideTheExpertsAreOneLineNamingTheField()
    {
        var deployments = PredictionFixtures.Deployments(PredictionFixtures.Setup(gpus: 8, tp: 8, model: Moe));
        var e = Assert.Throws<InputException>(() => deployments.Resolve(Run(new RunMetadata { TensorParallelSize = "1", DataParallelSize = "3" })));
        Assert.Equal("data_parallel_size", e.Field);
        Assert.Contains("does not divide the 8 experts", e.Reason);
    }

    [Fact]
    public void ExpertsBeyondTpReadWhatEveryDataParallelRanksTokensRoute()
    {
        // At one token per rank, TP 1 EP 1 reads A(1) = 2 of Mixtral-like's 8 experts (top-2); TP 1 EP 2 holds half of
        // them and serves both ranks' tokens: A(2) / 2 = 8 (1 - (6/8)^2) / 2 = 1.75 experts' worth.
        var p = PredictionFixtures.Params();
        var setup = PredictionFixtures.Setup(model: Moe);
        var alone = new StepTimeModel(Moe, setup.Weights, setup.Device, 1, 1, 2, p);
        var spread = new StepTimeModel(Moe, setup.Weights, setup.Device, 1, 2, 2, p);
        var load = new StepLoad(1, 0, 0, 1, 0, 0, 0, 0);
        var oneExpert = spread.Count.PerExpert * spread.Count.MoeLayers * setup.Weights.ExpertBytes / (setup.Device.Hardware.BandwidthGBps * 1e9 * p.Bandwidth);
        Assert.Equal(2 - 1.75, (alone.Cost(load).Weights - spread.Cost(load).Weights) / oneExpert, 6);
    }

    [Theory]
    [InlineData(null, "2", "pipeline_parallel_size", "pipeline parallelism is not modelled")]
    [InlineData("maybe", null, "enable_expert_parallel", "is not true or false")]
    public void AnUnmodelledOrUnreadableFlagIsOneLineNamingFileAndField(string? enableEp, string? pp, string field, string reason)
    {
        var deployments = PredictionFixtures.Deployments(PredictionFixtures.Setup(gpus: 8, tp: 8, model: Moe));
        var run = Run(new RunMetadata { EnableExpertParallel = enableEp, PipelineParallelSize = pp });
        var e = Assert.Throws<InputException>(() => deployments.Resolve(run));
        Assert.Equal("run.json", Path.GetFileName(e.File));
        Assert.Equal(field, e.Field);
        Assert.Contains(reason, e.Reason);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void APipelineSizeOfOneIsAccepted() =>
        Assert.Equal(8, PredictionFixtures.Deployments(PredictionFixtures.Setup(gpus: 8, tp: 8)).Resolve(Run(new RunMetadata { PipelineParallelSize = "1" })).Setup.Deployment.Decode.TensorParallel);
}
