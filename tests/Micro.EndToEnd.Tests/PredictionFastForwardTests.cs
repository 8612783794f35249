using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>Fast-forwarding pure decode stretches is exact: every figure equals the step-by-step simulation's.</summary>
public class PredictionFastForwardTests
{
    public static TheoryData<string> Cases => new() { "closed", "open", "capped", "preempting", "disaggregated", "windows", "replicas", "lengths" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FastForwardChangesNoFigure(string name)
    {
        var (setup, load, lengths) = Case(name);
        var model = new ServingModel(setup, PredictionFixtures.Params(prefillMs: 20, frontendUs: 30));
        var fast = new ServingSimulator(model.Decode, model.Prefill, model.KvTransfer).Run(load, lengths);
        var slow = new ServingSimulator(model.Decode, model.Prefill, model.KvTransfer) { FastForward = false }.Run(load, lengths);
        Assert.Equal(slow.Completed, fast.Completed);
        Assert.Equal(slow.DecodeSteps, fast.DecodeSteps);
        Assert.Equal(slow.Preemptions, fast.Preemptions);
        Assert.Equal(slow.MaxRunning, fast.MaxRunning);
        Assert.Equal(slow.Duration, fast.Duration, 9);
        Assert.Equal(slow.PeakKvFraction, fast.PeakKvFraction, 9);
        Assert.Equal(slow.MeanStep.Total, fast.MeanStep.Total, 12);
        foreach (var metric in new[] { "ttft", "tpot", "itl", "e2el" })
            foreach (var stat in new[] { "mean", "median", "p90", "p99", "std" })
                Assert.Equal(slow.Stat(metric, stat), fast.Stat(metric, stat), 6);
    }

    private static (ServingSetup, LoadShape, LengthSampler) Case(string name) => name switch
    {
        "closed" => (PredictionFixtures.Setup(), new LoadShape(32, null, 200), new LengthSampler(512, 256)),
        "open" => (PredictionFixtures.Setup(), new LoadShape(null, 6, 300, 1, 4), new LengthSampler(256, 128)),
        "capped" => (PredictionFixtures.Setup(), new LoadShape(8, 50, 120, 0.5, 2), new LengthSampler(256, 64)),
        "preempting" => (PredictionFixtures.Setup() with { Scheduler = new SchedulerConfig(256, 8192, 0.3, 16) }, new LoadShape(64, null, 128), new LengthSampler(1024, 1024)),
        "disaggregated" => (PredictionFixtures.Setup() with { Deployment = Deployment.Deployment.Split(new(2, 1), new(2, 1)) }, new LoadShape(48, null, 240), new LengthSampler(1024, 200)),
        "windows" => (PredictionFixtures.Setup(model: Windowed()), new LoadShape(24, null, 120), new LengthSampler(600, 300)),
        "replicas" => (PredictionFixtures.Setup(gpus: 4), new LoadShape(40, null, 200), new LengthSampler(300, 150)),
        _ => (PredictionFixtures.Setup(), new LoadShape(16, null, 200, 1, 9), new LengthSampler(0, 0, [100, 700, 2000], [5, 90, 400], "test")),
    };

    /// <summary>Llama-8B with every other layer a 128-token sliding window (KV bytes not proportional to the context).</summary>
    private static Micro.Core.Models.ModelConfig Windowed() =>
        PredictionFixtures.Llama8B() with { LayerWindows = Enumerable.Range(0, 32).Select(i => i % 2 == 0 ? (int?)128 : null).ToArray() };
}
