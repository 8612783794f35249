using Micro.EndToEnd.Metrics;
using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.Traffic;

namespace Micro.EndToEnd.Tests;

/// <summary>Replaying traces through the one simulator: queueing laws, scaling, dropped work and prefix caching.</summary>
public class TrafficSimulationTests
{
    private static ServingModel Model(double prefillMs = 30) => new(PredictionFixtures.Setup(), PredictionFixtures.Params(prefillMs: prefillMs));

    [Fact]
    public void LittlesLawHoldsOnAReplayedTrace()
    {
        var sim = Model().Simulate(TrafficFixtures.Replay(TrafficFixtures.BurstyHour()), new LengthSampler(1, 1));
        Assert.Equal(sim.Sent, sim.Completed);
        // L = lambda W over the replay: time-averaged requests in flight x duration = the summed time in system.
        Assert.Equal(sim.E2elMs.Sum() / 1e3, sim.MeanInFlight * sim.Duration, 6);
        Assert.InRange(sim.MeanInFlight, 0.1, 1e4);
    }

    [Fact]
    public void EvenlySpacedTraceEqualsTheMatchingRate()
    {
        var m = Model();
        var trace = m.Simulate(TrafficFixtures.Replay(TrafficFixtures.Even(4, 400, 512, 128)), new LengthSampler(1, 1));
        // vLLM's gamma gaps of a huge shape are evenly spaced at the rate.
        var rate = m.Simulate(new LoadShape(null, 4, 400, 1e6), new LengthSampler(512, 128));
        Assert.Equal(rate.Completed, trace.Completed);
        Assert.Equal(rate.RequestThroughput, trace.RequestThroughput, 0.01 * rate.RequestThroughput);
        Assert.Equal(rate.Stat("ttft", "mean"), trace.Stat("ttft", "mean"), 0.02 * rate.Stat("ttft", "mean"));
        Assert.Equal(rate.Stat("tpot", "median"), trace.Stat("tpot", "median"), 0.02 * rate.Stat("tpot", "median"));
    }

    [Fact]
    public void TimeScalingStretchesArrivalsNotTheWorkOfALightLoad()
    {
        var m = Model();
        var t = TrafficFixtures.Even(1, 60, 256, 64);
        var normal = m.Simulate(TrafficFixtures.Replay(t), new LengthSampler(1, 1));
        var slow = m.Simulate(TrafficFixtures.Replay(new TraceReplay(TimeScale: 2).Apply(t)), new LengthSampler(1, 1));
        Assert.Equal(2 * t.Span, slow.SendSeconds.Max(), 9);
        Assert.Equal(normal.Stat("e2el", "mean"), slow.Stat("e2el", "mean"), 0.01 * normal.Stat("e2el", "mean"));
        Assert.Equal(normal.RequestThroughput / 2, slow.RequestThroughput, 0.03 * normal.RequestThroughput);
    }

    [Fact]
    public void DroppedRequestsAreNeverCountedAsServed()
    {
        var t = TrafficFixtures.Even(45, 2000, 1024, 16);
        var sim = Model().Simulate(TrafficFixtures.Replay(t) with { TimeoutSeconds = 5 }, new LengthSampler(1, 1));
        Assert.True(sim.Dropped > 0, "an overloaded replica with a 5 s timeout drops requests");
        Assert.True(sim.Completed > 0, "the first requests are served before the queue builds");
        Assert.Equal(2000, sim.Completed + sim.Dropped + sim.Rejected);
        Assert.Equal(sim.Completed, sim.E2elMs.Length);
        Assert.All(sim.E2elMs, e => Assert.True(e <= 5000));
        Assert.Equal(16L * sim.Completed, sim.TotalOutputTokens);
        Assert.Equal(sim.Completed / sim.Duration, sim.RequestThroughput, 12);
        var slo = new[] { SloSpec.Parse("p95:ttft<=100s") };
        var point = PredictedPoint.Of(Model(), TrafficFixtures.Replay(t), sim, slo, 2.0, 1200);
        Assert.Equal(sim.Completed / sim.Duration, point.RequestGoodput!.Value, 9);
        Assert.Equal(2.0 / 3600 / (sim.Completed / sim.Duration), point.CostPerRequest!.Value, 12);
    }

    [Fact]
    public void TheAdmissionLimitRejectsAsAGatewayDoes()
    {
        var load = TrafficFixtures.Replay(TrafficFixtures.Even(200, 1000, 1024, 64));
        var limited = Model().Simulate(load with { MaxQueue = 8 }, new LengthSampler(1, 1));
        var open = Model().Simulate(load, new LengthSampler(1, 1));
        Assert.True(limited.Rejected > 0);
        Assert.Equal(0, open.Rejected);
        Assert.Equal(1000, limited.Completed + limited.Rejected);
        Assert.True(limited.Stat("ttft", "p99") < open.Stat("ttft", "p99"));
    }

    [Theory]
    [InlineData(new[] { 7, 8, 9 }, 1024)]
    [InlineData(new[] { 7, 5, 9 }, 512)]
    [InlineData(new[] { 6, 8, 9 }, 0)]
    public void APrefixHitSkipsExactlyTheCachedBlocksPrefill(int[] hashesB, int hit)
    {
        var m = Model(prefillMs: 0);
        var trace = new RequestTrace("t", TraceFormat.MooncakeJsonl, [new TraceRequest(0, 1024, 2, [7, 8]), new TraceRequest(10, 1536, 2, hashesB)]);
        var sim = m.Simulate(TrafficFixtures.Replay(trace), new LengthSampler(1, 1));
        Assert.Equal(hit, sim.PrefixCacheHitTokens);
        Assert.Equal((double)hit / (1024 + 1536), sim.PrefixCacheHitRate!.Value, 12);
        var kv = m.DecodeStep.Kv;
        var prefill = m.DecodeStep.Cost(new StepLoad(0, 1536 - hit, 1, 1, hit > 0 ? kv.Bytes(hit) : 0, 0, kv.ChunkPairs(hit, 1536 - hit), 1536)).Total;
        var ttftB = sim.TtftMs[Array.IndexOf(sim.SendSeconds, 10.0)];
        Assert.Equal(prefill * 1e3, ttftB, 9);
        var off = m.Simulate(TrafficFixtures.Replay(trace) with { PrefixCaching = false }, new LengthSampler(1, 1));
        Assert.Null(off.PrefixCacheHitRate);
        Assert.True(hit == 0 ? off.Stat("ttft", "max") == sim.Stat("ttft", "max") : off.TtftMs[1] > ttftB);
    }

    [Fact]
    public void ThePrefixCacheSharesTheKvPoolAndEvictsToMakeRoom()
    {
        // 100k-token prompts: four groups of shared 90k prefixes; the pool holds a few, so blocks are evicted and re-hit.
        var sim = Model().Simulate(TrafficFixtures.Replay(TrafficFixtures.LongSharedPrefixes()), new LengthSampler(1, 1));
        Assert.Equal(40, sim.Completed);
        Assert.InRange(sim.PrefixCacheHitRate!.Value, 0.5, 0.9);
        Assert.InRange(sim.PeakKvFraction, 0.5, 1.0 + 1e-9);
    }

    [Fact]
    public void ThePrefixCacheEvictsTheLeastRecentlyUsedBlocksDeepestFirst()
    {
        // Four prompts of 64 blocks (1024 tokens, two 512-token hashes), 2 output tokens, one at a time, in a pool of
        // 194.5 blocks. A, B, C fill it (192 idle blocks); A again hits 63 blocks (never the last token's); D needs 64
        // blocks then 1 more: 63 of B's go, its deepest first, so B again hits its first block only, and evicts 63 of
        // C's for its own prompt, so C again hits 1 block too.
        var m = Model(prefillMs: 0);
        var block = m.DecodeStep.Kv.Bytes(16);
        int[][] prompts = [[1, 2], [3, 4], [5, 6], [7, 8]];
        int[] order = [0, 1, 2, 0, 3, 1, 2];
        var trace = new RequestTrace("lru", TraceFormat.MooncakeJsonl, [.. order.Select((p, i) => new TraceRequest(i * 10.0, 1024, 2, prompts[p]))]);
        var sim = new ServingSimulator(m.Decode with { KvCapacityBytesPerGpu = 194.5 * block }).Run(TrafficFixtures.Replay(trace), new LengthSampler(1, 1));
        Assert.Equal(order.Length, sim.Completed);
        Assert.Equal(63 * 16 + 16 + 16, sim.PrefixCacheHitTokens);
    }

    [Fact]
    public void ThePrefixCacheFindsEveryBlockAfterItsTableGrows()
    {
        // 60 distinct prompts of 64 blocks, each sent twice in a row into a pool that evicts nothing: 3,840 blocks
        // outgrow the cache's first table several times, and every repeat still hits its 63 leading blocks.
        var m = Model(prefillMs: 0);
        var requests = Enumerable.Range(0, 60).SelectMany(p => new[] { 0, 1 }.Select(k => new TraceRequest((2 * p + k) * 10.0, 1024, 2, [2 * p + 1, 2 * p + 2])));
        var trace = new RequestTrace("grow", TraceFormat.MooncakeJsonl, [.. requests]);
        var sim = new ServingSimulator(m.Decode with { KvCapacityBytesPerGpu = 10_000 * m.DecodeStep.Kv.Bytes(16) }).Run(TrafficFixtures.Replay(trace), new LengthSampler(1, 1));
        Assert.Equal(120, sim.Completed);
        Assert.Equal(60 * 63 * 16, sim.PrefixCacheHitTokens);
    }

    [Fact]
    public void FastForwardStaysExactWithTimeoutsAndPrefixCaching()
    {
        var m = Model();
        var load = TrafficFixtures.Replay(TrafficFixtures.LongSharedPrefixes(16)) with { TimeoutSeconds = 20 };
        var fast = new ServingSimulator(m.Decode).Run(load, new LengthSampler(1, 1));
        var slow = new ServingSimulator(m.Decode) { FastForward = false }.Run(load, new LengthSampler(1, 1));
        Assert.Equal(slow.Completed, fast.Completed);
        Assert.Equal(slow.Dropped, fast.Dropped);
        Assert.Equal(slow.DecodeSteps, fast.DecodeSteps);
        Assert.Equal(slow.PrefixCacheHitTokens, fast.PrefixCacheHitTokens);
        Assert.Equal(slow.Duration, fast.Duration, 9);
        Assert.Equal(slow.Stat("e2el", "p99"), fast.Stat("e2el", "p99"), 6);
    }

    [Fact]
    public void TheWorstWindowDecidesTheVerdict()
    {
        var m = Model();
        // Light traffic for five minutes, with a burst in the third.
        var calm = Enumerable.Range(0, 300).Select(i => new TraceRequest(i * 1.0, 512, 64));
        var burst = Enumerable.Range(0, 80).Select(i => new TraceRequest(130 + i * 0.01, 4096, 64));
        var trace = new RequestTrace("b", TraceFormat.PlainCsv, [.. calm.Concat(burst).OrderBy(q => q.ArrivalSeconds)]);
        var sim = m.Simulate(TrafficFixtures.Replay(trace), new LengthSampler(1, 1));
        var slo = new[] { SloSpec.Parse("p50:ttft<=1s") };
        // Over the whole replay the calm majority hides the burst; its window does not.
        Assert.Empty(SloJudge.Missed(slo, sim.Stat));
        var windowed = WindowVerdict.Of(sim, slo, 60);
        Assert.False(windowed.Meets);
        Assert.Equal(120, windowed.WorstStart);
        Assert.True(windowed.WorstValues[0].Value > 1000);
    }
}
