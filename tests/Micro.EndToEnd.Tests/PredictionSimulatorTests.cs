using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>The serving simulation on cases whose answer is known without it.</summary>
public class PredictionSimulatorTests
{
    private static StepLoad Decode(ServingModel m, int context) =>
        new(1, 0, 0, 1, m.DecodeStep.Kv.Bytes(context), context, 0, 0);

    [Fact]
    public void OneRequestAloneHasTtftOfItsPrefillAndTpotOfItsDecodeSteps()
    {
        var p = PredictionFixtures.Params(prefillMs: 0);
        var m = new ServingModel(PredictionFixtures.Setup(), p);
        const int isl = 1000, osl = 50;
        var r = m.Simulate(new LoadShape(1, null, 1), new LengthSampler(isl, osl));
        var prefill = m.DecodeStep.Cost(new StepLoad(0, isl, 1, 1, 0, 0, m.DecodeStep.Kv.ChunkPairs(0, isl), isl)).Total;
        Assert.Equal(prefill * 1e3, r.Stat("ttft", "median"), 9);
        // Decode step j reads the KV of isl + j - 1 tokens (the prompt and the tokens generated before it).
        var decode = Enumerable.Range(1, osl - 1).Select(j => m.DecodeStep.Cost(Decode(m, isl + j - 1)).Total).ToArray();
        Assert.Equal(decode.Average() * 1e3, r.Stat("tpot", "median"), 9);
        Assert.Equal(decode.Max() * 1e3, r.Stat("itl", "p100"), 9);
        Assert.Equal((prefill + decode.Sum()) * 1e3, r.Stat("e2el", "mean"), 9);
    }

    [Fact]
    public void PrefillOverheadDelaysTheFirstToken()
    {
        var a = new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params(prefillMs: 0)).Simulate(new LoadShape(1, null, 1), new LengthSampler(512, 8));
        var b = new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params(prefillMs: 40)).Simulate(new LoadShape(1, null, 1), new LengthSampler(512, 8));
        Assert.Equal(a.Stat("ttft", "median") + 40, b.Stat("ttft", "median"), 6);
        Assert.Equal(a.Stat("tpot", "median"), b.Stat("tpot", "median"), 9);
    }

    [Fact]
    public void TheTokenStreamStretchesTheFrontEndWorkByOneOverOneMinusItsUtilization()
    {
        // Alone, nothing streams while the request is sent: the front-end work is the overhead itself.
        var alone = new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params(prefillMs: 40, frontendUs: 0))
            .Simulate(new LoadShape(1, null, 1), new LengthSampler(512, 8));
        var aloneBusy = new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params(prefillMs: 40, frontendUs: 200))
            .Simulate(new LoadShape(1, null, 1), new LengthSampler(512, 8));
        Assert.Equal(alone.Stat("ttft", "median"), aloneBusy.Stat("ttft", "median"), 9);
        // Under load, requests are sent while X tok/s stream: the 40 ms take 40 / (1 - X t).
        var load = new LoadShape(64, null, 640);
        var lengths = new LengthSampler(256, 256);
        var a = new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params(prefillMs: 40, frontendUs: 0)).Simulate(load, lengths);
        var b = new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params(prefillMs: 40, frontendUs: 60)).Simulate(load, lengths);
        var rho = b.OutputThroughput * 60e-6;
        Assert.InRange(rho, 0.1, 0.9);
        Assert.InRange(b.Stat("ttft", "mean") - a.Stat("ttft", "mean"), 0.8 * 40 * rho / (1 - rho), 1.2 * 40 * rho / (1 - rho));
        Assert.Equal(a.Stat("tpot", "median"), b.Stat("tpot", "median"), 1);
    }

    [Fact]
    public void ASaturatedFrontEndIsCountedNotHidden()
    {
        var load = new LoadShape(64, null, 640);
        var lengths = new LengthSampler(256, 256);
        var calm = new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params(prefillMs: 40, frontendUs: 20)).Simulate(load, lengths);
        var saturated = new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params(prefillMs: 40, frontendUs: 1000)).Simulate(load, lengths);
        Assert.Equal(0, calm.FrontendSaturated);
        Assert.InRange(saturated.FrontendSaturated, 1, saturated.Completed);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    public void ClosedLoopThroughputIsConcurrencyTimesOslOverE2el(int c)
    {
        var m = new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params());
        const int osl = 128;
        var r = m.Simulate(new LoadShape(c, null, 10 * c), new LengthSampler(512, osl));
        var expected = c * osl / (r.Stat("e2el", "mean") / 1e3);
        Assert.InRange(r.OutputThroughput / expected, 0.97, 1.0 + 1e-9);
        Assert.Equal(10 * c, r.Completed);
        Assert.Equal(c, r.MaxRunning);
    }

    [Fact]
    public void OpenLoopObeysLittlesLawAndTheArrivalRate()
    {
        var m = new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params());
        const double rate = 4;
        var r = m.Simulate(new LoadShape(null, rate, 2000, 1, 7), new LengthSampler(256, 64));
        Assert.Equal(r.RequestThroughput * r.Stat("e2el", "mean") / 1e3, r.MeanInFlight, 6);
        // Far below capacity: throughput follows the Poisson arrivals (2000 draws: within ~5%).
        Assert.InRange(r.RequestThroughput, rate * 0.93, rate * 1.07);
    }

    [Fact]
    public void BurstierArrivalsQueueLonger()
    {
        var m = new ServingModel(PredictionFixtures.Setup(maxSeqs: 16), PredictionFixtures.Params());
        var smooth = m.Simulate(new LoadShape(null, 20, 1500, 1, 3), new LengthSampler(256, 64));
        var bursty = m.Simulate(new LoadShape(null, 20, 1500, 0.2, 3), new LengthSampler(256, 64));
        Assert.True(bursty.Stat("ttft", "p99") > smooth.Stat("ttft", "p99"));
    }

    [Fact]
    public void ConcurrencyCapBoundsARateDrivenLoad()
    {
        var m = new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params());
        var r = m.Simulate(new LoadShape(4, 1000, 200, 1, 1), new LengthSampler(256, 32));
        Assert.True(r.MaxRunning <= 4);
        Assert.InRange(r.MeanInFlight, 3.0, 4.0 + 1e-9);
    }

    [Fact]
    public void FullKvCachePreemptsAndStillCompletesEveryRequest()
    {
        // 0.3 of 80 GB leaves ~7 GB of KV after 16 GB of weights: 64 x 2k-token sequences need 17 GB.
        var setup = PredictionFixtures.Setup() with { Scheduler = new SchedulerConfig(256, 8192, 0.3, 16) };
        var m = new ServingModel(setup, PredictionFixtures.Params());
        var r = m.Simulate(new LoadShape(64, null, 128), new LengthSampler(1024, 1024));
        Assert.Equal(128, r.Completed);
        Assert.True(r.Preemptions > 0 || r.MaxRunning < 64);
        Assert.True(r.PeakKvFraction <= 1);
    }

    [Fact]
    public void DisaggregatedPoolsAddTheDecodeStepToTtftAndKeepDecodeFreeOfPrefill()
    {
        var setup = PredictionFixtures.Setup() with { Deployment = Deployment.Deployment.Split(new(1, 1), new(1, 1)) };
        var m = new ServingModel(setup, PredictionFixtures.Params(prefillMs: 0));
        var r = m.Simulate(new LoadShape(1, null, 1), new LengthSampler(1000, 20));
        var prefill = m.PrefillStep!.Cost(new StepLoad(0, 1000, 1, 1, 0, 0, m.PrefillStep.Kv.ChunkPairs(0, 1000), 1000)).Total;
        var transfer = m.PrefillStep.Kv.Bytes(1000) / (setup.Device.InterconnectGBps.Value * 1e9);
        var first = m.DecodeStep.Cost(new StepLoad(1, 0, 0, 1, m.DecodeStep.Kv.Bytes(999), 999, 0, 0)).Total;
        Assert.Equal((prefill + transfer + first) * 1e3, r.Stat("ttft", "median"), 6);
        Assert.Equal(0, r.MeanStep.Attention);
    }

    [Fact]
    public void WorkloadLengthsAreSampledFromTheFile()
    {
        var m = new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params());
        var r = m.Simulate(new LoadShape(8, null, 400, 1, 5), new LengthSampler(0, 0, [100, 300], [10, 30], "test"));
        var meanOut = (double)r.TotalOutputTokens / r.Completed;
        Assert.InRange(meanOut, 17, 23);
        Assert.InRange((double)r.TotalInputTokens / r.Completed, 170, 230);
    }
}
