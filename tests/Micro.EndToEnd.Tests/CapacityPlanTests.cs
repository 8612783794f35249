using System.Text.Json;
using Micro.EndToEnd.Metrics;
using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.Prediction.Json;
using Micro.EndToEnd.Traffic;

namespace Micro.EndToEnd.Tests;

/// <summary>The capacity plan: replicas searched and minimal, bills with idle, the quality frontier, pinned keys, held-out traces.</summary>
public class CapacityPlanTests
{
    private static PlanConfig Config(double price = 2.0) =>
        new(new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params()), "H100", price, "test price");

    private static PlanRequest Request(RequestTrace trace, string[] slos, double window) => new()
    {
        Configs = [Config()], Load = TrafficFixtures.Replay(trace), Lengths = new LengthSampler(1, 1),
        Slos = [.. slos.Select(SloSpec.Parse)], WindowSeconds = window,
    };

    private static bool Meets(PlanRequest req, int replicas)
    {
        var sim = new ServingSimulator(req.Configs[0].Model.Decode with { Replicas = replicas }).Run(req.Load, req.Lengths);
        return WindowVerdict.Of(sim, req.Slos, req.WindowSeconds).Meets && sim.Dropped + sim.Rejected == 0;
    }

    [Fact]
    public void ThePlansReplicasAreMinimal()
    {
        var req = Request(TrafficFixtures.Even(150, 3000, 1024, 128), ["p95:ttft<=500ms", "p95:tpot<=60ms"], 10);
        var plan = CapacityPlan.Run(req);
        var row = Assert.Single(plan.Rows);
        Assert.True(row.MeetsSlo);
        Assert.True(row.Replicas > 1, "one replica cannot take 150 prompts of 1024 tokens a second");
        Assert.True(row.OneFewerMisses);
        Assert.True(Meets(req, row.Replicas));
        Assert.False(Meets(req, row.Replicas - 1));
        // Billed whole: replicas x GPUs x price x 730 h, whatever the utilization.
        Assert.Equal(row.Replicas * 1 * 2.0 * 730, row.MonthlyCost!.Value, 9);
        Assert.Equal(row.MonthlyCost.Value / plan.RequestsPerMonth, row.CostPerRequest!.Value, 12);
        Assert.InRange(row.Utilization, 0.01, 1.0);
        Assert.Equal(row, plan.Cheapest);
        Assert.Equal(4, plan.UsefulWork.Count);
    }

    [Fact]
    public void ADailyProfileSizesEachHourMinimallyAndBillsItsOwnReplicas()
    {
        // The trace is the busiest hour (150 prompts/s); the night runs at 0%, mornings at 30%, afternoons at 65%.
        var loads = Enumerable.Range(0, 24).Select(h => h < 6 ? 0.0 : h < 12 ? 3 : h < 18 ? 6.5 : h == 18 ? 10 : 3).ToArray();
        var daily = new DailyProfile("day.csv", loads);
        var req = Request(TrafficFixtures.Even(150, 3000, 1024, 128), ["p95:ttft<=500ms", "p95:tpot<=60ms"], 10) with { Daily = daily, HoursPerMonth = daily.EquivalentPeakHours };
        var plan = CapacityPlan.Run(req);
        var row = Assert.Single(plan.Rows);
        var hourly = row.HourlyReplicas!;
        Assert.Equal(24, hourly.Count);
        Assert.Equal(row.Replicas, hourly[18]);
        Assert.Equal(1, hourly[0]);
        Assert.True(hourly[9] < hourly[14] && hourly[14] < hourly[18], string.Join(" ", hourly));
        // Each hour's count is minimal at its share of the traffic: it meets every objective and one fewer does not.
        foreach (var h in new[] { 9, 14 })
        {
            var at = req with { Load = req.Load with { Trace = new TraceReplay(1 / daily.Share(h)).Apply(req.Load.Trace!) } };
            Assert.True(Meets(at, hourly[h]));
            Assert.True(hourly[h] == 1 || !Meets(at, hourly[h] - 1));
        }
        // Billed hour by hour: each hour of the day is 730/24 hours a month; the peak sizing bills the peak all month.
        Assert.Equal(hourly.Sum() * 2.0 * 730 / 24, row.AutoscaledMonthlyCost!.Value, 9);
        Assert.Equal(row.Replicas * 2.0 * 730, row.MonthlyCost!.Value, 9);
        Assert.True(row.AutoscaledMonthlyCost < row.MonthlyCost);
        // The month carries the profile's traffic: 730 h x the mean share of the peak hour's requests.
        Assert.Equal(730 * loads.Average() / 10, plan.Request.HoursPerMonth, 9);
        Assert.Equal(3000 / plan.PeriodSeconds * 3600 * plan.Request.HoursPerMonth, plan.RequestsPerMonth, 6);
        Assert.Equal(row.AutoscaledMonthlyCost.Value / plan.RequestsPerMonth, row.AutoscaledCostPerRequest!.Value, 12);
    }

    [Theory]
    [InlineData("hour,load\n0,1\n", "hour", "no row for hour 1")]
    [InlineData("hour,load\n0,1\n0,2\n", ":3", "given twice")]
    [InlineData("hour,load\n24,1\n", ":2", "not an hour")]
    [InlineData("hour,load\n0,-1\n", ":2", "load")]
    [InlineData("hour,factor\n0,1\n", "header", "hour,load")]
    public void ABadDailyProfileNamesFileLineAndField(string text, string where, string why)
    {
        using var dir = new TempDir();
        var path = dir.Write("day.csv", text);
        var e = Assert.Throws<Micro.Core.Results.InputException>(() => DailyProfile.Read(path));
        Assert.Contains(where, e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void PlanJsonKeysArePinned()
    {
        var plan = CapacityPlan.Run(Request(TrafficFixtures.Even(20, 200, 256, 32), ["p95:ttft<=1s"], 5));
        var doc = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(PlanJson.From(plan), PredictionJson.Options)).RootElement;
        Assert.Equal(["window_s", "period_s", "hours_per_month", "daily_profile", "hourly_share", "requests_per_month", "output_tokens_per_month", "rows", "excluded",
            "cheapest", "throughput_optimal", "monthly_cost_delta", "margin_delta_points", "useful_work"], doc.EnumerateObject().Select(p => p.Name));
        var row = doc.GetProperty("rows")[0];
        Assert.Equal(TrafficJson.RowKeys, row.EnumerateObject().Select(p => p.Name));
        foreach (var key in new[] { "tp", "gpu", "replicas", "meets_slo", "monthly_cost", "cost_per_request", "cost_per_1m_output_tokens", "utilization", "worst_window" })
            Assert.Contains(key, TrafficJson.RowKeys);
        Assert.Equal(TrafficJson.WindowKeys, row.GetProperty("worst_window").EnumerateObject().Select(p => p.Name));
        Assert.Equal(TrafficJson.UsefulWorkKeys, doc.GetProperty("useful_work")[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void TheQualityFrontierOnAHandMadeTable()
    {
        (double?, double?)[] items = [(1.0, 0.70), (2.0, 0.80), (1.5, 0.65), (3.0, 0.80), (null, 0.90), (0.5, null), (2.5, 0.85)];
        Assert.Equal([0, 1, 6], QualityTable.Frontier(items));
    }

    [Fact]
    public void AHeldOutBurstyHourFinishesAndHoldsWhenReplayedAgain()
    {
        var trace = TrafficFixtures.BurstyHour(seed: 5);
        Assert.True(trace.Requests.GroupBy(q => Math.Floor(q.ArrivalSeconds)).Max(g => g.Count()) >= 60);
        var req = Request(trace, ["p95:ttft<=2s", "p95:tpot<=40ms"], 300);
        var row = Assert.Single(CapacityPlan.Run(req).Rows);
        Assert.True(row.MeetsSlo);
        Assert.True(Meets(req, row.Replicas));
        Assert.True(row.Replicas == 1 || !Meets(req, row.Replicas - 1));
    }

    [Fact]
    public void AHeldOutTraceOfHundredKTokenPromptsWithSharedPrefixesFinishes()
    {
        var req = Request(TrafficFixtures.LongSharedPrefixes(), ["p95:ttft<=8s", "p95:tpot<=100ms"], 60);
        var row = Assert.Single(CapacityPlan.Run(req).Rows);
        Assert.True(row.MeetsSlo);
        Assert.True(row.OneFewerMisses);
        Assert.True(row.Sim.PrefixCacheHitRate > 0.5);
        Assert.True(row.Replicas == 1 || !Meets(req, row.Replicas - 1));
    }

    [Fact]
    public void ARequestNoReplicaCanHoldEndsThePlanAtOnce()
    {
        var trace = new RequestTrace("huge", TraceFormat.PlainCsv, [new TraceRequest(0, 512, 16), new TraceRequest(1, 1_000_000, 16), new TraceRequest(2, 512, 16)]);
        var row = Assert.Single(CapacityPlan.Run(Request(trace, ["p95:ttft<=1s"], 60)).Rows);
        Assert.False(row.MeetsSlo);
        Assert.Equal(1, row.Sim.Rejected);
        Assert.Equal(1, row.Simulations);
    }

    [Fact]
    public void AnObjectiveBelowOneRequestsOwnLatencyStopsTheSearchAndSaysSo()
    {
        // An 8k-token prompt's prefill alone takes longer than 100 ms: no number of replicas meets p95 TTFT <= 100 ms.
        var row = Assert.Single(CapacityPlan.Run(Request(TrafficFixtures.Even(20, 400, 8000, 16), ["p95:ttft<=100ms"], 10)).Rows);
        Assert.False(row.MeetsSlo);
        Assert.Contains("more replicas stop helping", row.Note);
        Assert.InRange(row.Simulations, 2, 14);
    }
}
