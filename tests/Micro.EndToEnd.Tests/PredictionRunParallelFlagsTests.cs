using Micro.Core.Results;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>vLLM's own parallelism flags in a run's metadata: --enable-expert-parallel (experts over TP x DP) is read,
/// pipeline parallelism (not modelled) is refused in one line.</summary>
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
