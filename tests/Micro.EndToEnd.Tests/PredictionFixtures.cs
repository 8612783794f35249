using Micro.Core.Models;
using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Tests;

/// <summary>Models and setups built in code for the prediction tests (no shared data needed).</summary>
public static class PredictionFixtures
{
    public static ModelConfig Llama8B() => new()
    {
        Name = "llama-3.1-8b", ModelType = "llama", NumLayers = 32, HiddenSize = 4096, IntermediateSize = 14336,
        NumAttentionHeads = 32, NumKeyValueHeads = 8, HeadDim = 128, VocabSize = 128256, TorchDtype = "bfloat16",
        LayerWindows = new int?[32],
    };

    /// <summary>Llama-3.1-8B's layers with eight experts, top 2 (a Mixtral-like MoE).</summary>
    public static ModelConfig MixtralLike() => Llama8B() with { Name = "mixtral-like", NumExperts = 8, ExpertsPerToken = 2, VocabSize = 32000 };

    public static ServingSetup Setup(int gpus = 1, int tp = 1, int maxSeqs = 256, int maxTokens = 8192, string gpu = "h100-sxm", ModelConfig? model = null)
    {
        var m = model ?? Llama8B();
        return new ServingSetup
        {
            Model = m, Weights = WeightFormat.For(m, null), KvBytesPerElement = 2, Device = DeviceProfile.FromDatasheet(gpu),
            Deployment = Deployment.Deployment.Aggregated(gpus, tp), Scheduler = new SchedulerConfig(maxSeqs, maxTokens, 0.9, 16),
        };
    }

    /// <summary>Parameters in Specs order; launchUs 0 by default so the fixed step cost is stepMs alone.</summary>
    public static PhysicalParameters Params(double bw = 0.8, double gemm = 0.6, double stepMs = 1.5, double perSeqUs = 20, double prefillMs = 30, double frontendUs = 0,
        double collectiveUs = 8, double perDoublingUs = 2, double interconnect = 0.8, double launchUs = 0) =>
        new() { Values = [bw, gemm, collectiveUs, perDoublingUs, interconnect, launchUs, stepMs, perSeqUs, prefillMs, frontendUs] };

    /// <summary>Resolves runs on their own deployments, the command's setup filling what they lack.</summary>
    public static RunDeployments Deployments(ServingSetup setup) => new(setup, d => setup.Scheduler);
}
