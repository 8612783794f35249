using Micro.Core.Models;
using Micro.EndToEnd.Analysis;
using Micro.EndToEnd.Cost;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Metrics;
using Micro.EndToEnd.SpeedOfLight;
using Micro.Tests.Shared;

namespace Micro.EndToEnd.Tests;

public class AnalysisTests
{
    private static AnalysisResult GptOssSweep(params string[] slos) => GptOssSweep(false, slos);

    private static AnalysisResult GptOssSweep(bool interpolate, params string[] slos)
    {
        var dir = TestPaths.SharedFile("vllm/gptoss120b_amd_1p1d_sweep");
        var model = ModelConfigReader.Read(TestPaths.SharedFile("models/config_gpt_oss_120b.json"));
        var sol = new SolModel(model, WeightFormat.For(model, null), HardwareProfile.FromDatasheet("mi355x"), 8, 2, ParameterCountMode.DecodeReads);
        var o = new AnalysisOptions
        {
            Slos = slos.Select(SloSpec.Parse).ToList(), Deployment = Micro.EndToEnd.Deployment.Deployment.Aggregated(16, 8), GpuHourPrice = 3.0, PriceSource = "test",
            RequestsPerMonth = 50e6, Sol = sol, Interpolate = interpolate,
        };
        return Analyzer.Analyze(ResultSetLoader.Load([dir]), o, [dir]);
    }

    [Fact]
    public void GptOssSweepThroughputOptimalIs512AndOperatingPointAtP99Tpot20msIs256()
    {
        var r = GptOssSweep("p99:tpot<=20ms");
        Assert.Equal(8, r.Points.Count);
        Assert.Equal([4.0, 8, 16, 32, 64, 128, 256, 512], r.Points.Select(p => p.Concurrency!.Value));
        Assert.Equal(512, r.ThroughputOptimal.Concurrency);
        Assert.False(r.ThroughputOptimal.MeetsSlo);
        Assert.Equal(256, r.OperatingPoint!.Concurrency);
        Assert.True(r.OperatingPoint.MeetsSlo);
        Assert.False(r.OperatingPoint.Interpolated);
        Assert.Contains(r.Diagnosis, l => l.Contains("misses the SLO", StringComparison.Ordinal));
        // Every concurrency step raises throughput per GPU and lowers per-user speed: all 8 are on that frontier.
        Assert.Equal(8, r.Pareto.ThroughputPerGpuVsPerUser.Count);
    }

    [Fact]
    public void GptOssSweepCostsFollowTheFormulas()
    {
        var r = GptOssSweep("p99:tpot<=20ms");
        var c256 = r.Points[6];
        Assert.Equal(16 * 3.0 / 3600 / 13.648382311671154, c256.CostPerRequest!.Value, 12);
        Assert.Equal(16 * 3.0 / (13975.943487151262 * 3600 / 1e6), c256.CostPer1MOutputTokens!.Value, 9);
        Assert.Equal(16 * 3.0 / (27951.886974302524 * 3600 / 1e6), c256.CostPer1MTotalTokens!.Value, 9);
        // Legacy files have no per-request arrays and no goodput SLO: goodput stays unknown rather than invented.
        Assert.Null(c256.GoodputRps);
        Assert.Null(c256.CostPerGoodRequest);
        Assert.Equal(0, c256.Failed);
        Assert.Equal(1, c256.UsefulFraction);
        // 50M requests/month = 19.03 req/s on average; c256 serves 13.65 req/s per 16-GPU deployment -> 2 replicas.
        var m = r.OperatingPoint!.Monthly!;
        Assert.Equal(2, m.Replicas);
        Assert.Equal(2 * 16 * 3.0 * 730, m.ProvisionedMonthlyCost, 6);
        Assert.Equal(50e6 * c256.CostPerRequest!.Value, m.UnitMonthlyCost, 6);
    }

    [Fact]
    public void GptOssSweepHasASpeedOfLightFractionPerPointOnTheMi355XDatasheet()
    {
        var r = GptOssSweep("p99:tpot<=20ms");
        Assert.Equal("datasheet, not measured", r.SpeedOfLight!.HardwareLabel);
        Assert.Equal(8000, r.SpeedOfLight.BandwidthGBps);
        Assert.All(r.Points, p =>
        {
            Assert.NotNull(p.SolFraction);
            Assert.InRange(p.SolFraction!.Value, 0.001, 1);
            Assert.Equal(p.OutputThroughput / p.SolOutputThroughput!.Value, p.SolFraction.Value, 12);
            Assert.Equal(1024 + 512, p.SolContext!.Value, 6);
            Assert.Equal("memory", p.SolBound);
        });
        // Measured TPOT can never beat the per-step floor.
        Assert.All(r.Points, p => Assert.True(p.Latency("mean", "tpot") > p.SolTpotMs));
        Assert.Contains("min(ctx, window)", r.SpeedOfLight.Formula);
    }

    [Fact]
    public void InterpolationOnlyWhenAskedAndLabelled()
    {
        Assert.Null(GptOssSweep("p99:tpot<=20ms").InterpolatedOperatingPoint);
        var r = GptOssSweep(true, "p99:tpot<=20ms");
        Assert.Equal(256, r.OperatingPoint!.Concurrency);
        Assert.False(r.OperatingPoint.Interpolated);
        var ip = r.InterpolatedOperatingPoint!;
        Assert.True(ip.Interpolated);
        // p99 TPOT 17.904 ms at 256 and 22.295 ms at 512: 20 ms is 47.7% of the way in log2(concurrency).
        var f = (20 - 17.904399000923036) / (22.29470054129683 - 17.904399000923036);
        Assert.Equal(Math.Pow(2, 8 + f), ip.Concurrency!.Value, 6);
        Assert.True(ip.CostPerRequest < r.OperatingPoint.CostPerRequest);
        Assert.Contains("interpolated between", ip.Source);
        Assert.Contains(r.Diagnosis, l => l.Contains("an estimate, not measured", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutSloThereIsNoOperatingPoint()
    {
        var r = GptOssSweep();
        Assert.Null(r.OperatingPoint);
        Assert.Equal("no --slo given", r.OperatingPointNote);
        Assert.Equal(512, r.ThroughputOptimal.Concurrency);
    }

    [Fact]
    public void ParetoKeepsOnlyNonDominatedPoints()
    {
        var f = Pareto.Frontier([(1, 10), (2, 8), (1.5, 7), (3, 1), (2, 8)]);
        Assert.Equal([0, 1, 4, 3], f);
        Assert.Empty(Pareto.Frontier([(double.NaN, 1)]));
    }

    [Fact]
    public void ProvisionedMonthlyCostBillsWholeReplicasAndMarginUsesRevenue()
    {
        // 5M requests/month at 2 req/s capacity and $4.10/h: one replica, $2,993 a month.
        var m = CostModel.Monthly(5e6, 1, 2, 4.10, 0.001);
        Assert.Equal(1, m.Replicas);
        Assert.Equal(4.10 * 730, m.ProvisionedMonthlyCost, 9);
        Assert.Equal(5e6 * 4.10 / 3600 / 2, m.UnitMonthlyCost, 9);
        Assert.Equal((5000 - 4.10 * 730) / 5000, m.Margin!.Value, 9);
        Assert.Equal(2, CostModel.Monthly(5e6, 1.1, 2, 4.10, null).Replicas);
    }

    [Fact]
    public void DetailedFileGetsGoodputCostPerGoodRequestAndUsefulWork()
    {
        using var dir = new TempDir();
        var points = VllmResultReader.ReadFile(dir.Write("d.json", TestFiles.Detailed));
        var o = new AnalysisOptions { Slos = [SloSpec.Parse("p99:tpot<=60ms")], Deployment = Micro.EndToEnd.Deployment.Deployment.Aggregated(2), GpuHourPrice = 3.6, PriceSource = "test" };
        var r = Analyzer.Analyze(points, o, ["d.json"]);
        var p = Assert.Single(r.Points);
        Assert.Equal("recomputed from the per-request arrays", p.LatencySource);
        Assert.Equal(3.0, p.GoodputRps);
        Assert.Equal(2 * 3.6 / 3600 / 3.0, p.CostPerGoodRequest!.Value, 12);
        Assert.Equal(0.75, p.UsefulFraction);
        Assert.Equal(2 * 3.6 / 3600 / 4.0, p.CostPerOfferedRequest!.Value, 12);
        Assert.Equal(4, p.Concurrency);
        Assert.Contains(p.Diagnosis, l => l.Contains("mean_ttft_ms", StringComparison.Ordinal));
        Assert.Equal(0, r.OperatingPoint!.Index);
    }
}
