using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>TTFT's parts: front-end, waiting for the scheduler, prefill; they add up to the mean TTFT.</summary>
public class PredictionTtftPartsTests
{
    [Theory]
    [InlineData(1, 4)]
    [InlineData(32, 96)]
    public void ThePartsAddUpToTheMeanTtft(int concurrency, int prompts)
    {
        var model = new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params(prefillMs: 25));
        var sim = model.Simulate(new LoadShape(concurrency, null, prompts), new LengthSampler(2048, 16) { RangeRatio = 0.8 });
        var parts = sim.MeanTtftParts!;
        Assert.Equal(sim.Stat("ttft", "mean"), parts.FrontendMs + parts.QueueingMs + parts.PrefillMs, 6);
        // No front-end contention (frontend_us_per_token 0): every request spends exactly its front-end work there.
        Assert.Equal(25, parts.FrontendMs, 6);
        Assert.True(parts.PrefillMs > 0);
        if (concurrency == 1) Assert.Equal(0, parts.QueueingMs, 6);
        else Assert.True(parts.QueueingMs > 0, "a closed loop of 32 starts with a burst that waits for the token budget");
    }
}
