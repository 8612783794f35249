using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>Predict's warnings: a burst-dominated closed loop, an uncalibrated prediction's missing figures; --search refuses pools in one line.</summary>
public class PredictionWarningTests
{
    private static PredictionResult Predict(params LoadShape[] loads) => Predictor.Run(new PredictionRequest
    {
        Setup = PredictionFixtures.Setup(gpus: 2, tp: 2), Loads = loads, Lengths = new LengthSampler(256, 16),
    });

    [Fact]
    public void FewerThanTenTimesTheConcurrencyInPromptsWarnsOnce()
    {
        var r = Predict(new LoadShape(16, null, 40), new LoadShape(4, null, 40));
        var burst = r.Sources.Where(s => s.Contains("below 10 x concurrency", StringComparison.Ordinal)).ToList();
        Assert.Single(burst);
        Assert.StartsWith("warning: c16:", burst[0]);
    }

    [Fact]
    public void AnUncalibratedPredictionNamesTheCostsItHasNoFigureFor()
    {
        var line = Assert.Single(Predict(new LoadShape(1, null, 10)).Sources, s => s.StartsWith("warning: uncalibrated", StringComparison.Ordinal));
        Assert.Contains("step_overhead_ms", line);
        Assert.Contains("prefill_overhead_ms", line);
        Assert.Contains("collective latency", line);
    }

    [Fact]
    public async Task SearchWithPoolsIsRefusedInOneLine()
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await Micro.Cli.CliApp.RunAsync(["predict", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--prefill-gpus", "1", "--decode-gpus", "1",
            "--prefill-tp", "1", "--decode-tp", "1", "--search"], o, e);
        Assert.Equal(2, code);
        var line = Assert.Single(e.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--search sizes aggregated deployments only", line);
    }
}
