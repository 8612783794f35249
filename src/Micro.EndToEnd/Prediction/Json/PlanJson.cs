using Micro.EndToEnd.Traffic;

namespace Micro.EndToEnd.Prediction.Json;

/// <summary>prediction.json's `plan` (--plan; TrafficJson.PlanKeys): the traffic's month, one row per configuration, the
/// cheapest and throughput-optimal choices, what the SLO costs, and the steady-vs-burst useful-work matrix.</summary>
public sealed record PlanJson
{
    public double? WindowS { get; init; }
    public double? PeriodS { get; init; }
    public double? HoursPerMonth { get; init; }
    public string? DailyProfile { get; init; }
    public IReadOnlyList<double>? HourlyShare { get; init; }
    public double? RequestsPerMonth { get; init; }
    public double? OutputTokensPerMonth { get; init; }
    public required IReadOnlyList<PlanRowJson> Rows { get; init; }
    public required IReadOnlyList<string> Excluded { get; init; }
    public string? Cheapest { get; init; }
    public string? ThroughputOptimal { get; init; }
    public double? MonthlyCostDelta { get; init; }
    public double? MarginDeltaPoints { get; init; }
    public required IReadOnlyList<UsefulWorkJson> UsefulWork { get; init; }

    public static PlanJson From(PlanResult plan) => new()
    {
        WindowS = plan.Request.WindowSeconds, PeriodS = plan.PeriodSeconds,
        HoursPerMonth = plan.Request.HoursPerMonth,
        DailyProfile = plan.Request.Daily?.Source,
        HourlyShare = plan.Request.Daily is { } daily ? Enumerable.Range(0, Traffic.DailyProfile.Hours).Select(h => daily.Share(h)).ToList() : null,
        RequestsPerMonth = plan.RequestsPerMonth, OutputTokensPerMonth = plan.OutputTokensPerMonth,
        Rows = plan.Rows.Select(PlanRowJson.From).ToList(),
        Excluded = plan.Excluded,
        Cheapest = plan.Cheapest?.Config.Label, ThroughputOptimal = plan.ThroughputOptimal?.Config.Label,
        MonthlyCostDelta = plan.MonthlyCostDelta, MarginDeltaPoints = plan.MarginDeltaPoints,
        UsefulWork = plan.UsefulWork.Select(UsefulWorkJson.From).ToList(),
    };
}

/// <summary>One configuration of the plan (TrafficJson.RowKeys): the fewest replicas meeting every objective in every window, its bill, and its quality.</summary>
public sealed record PlanRowJson
{
    public required string Label { get; init; }
    public required int Tp { get; init; }
    public required string Gpu { get; init; }
    public required string WeightDtype { get; init; }
    public required int Replicas { get; init; }
    public required bool MeetsSlo { get; init; }
    public required bool OneFewerMisses { get; init; }
    public double? MonthlyCost { get; init; }
    public double? CostPerRequest { get; init; }
    public double? CostPer1MOutputTokens { get; init; }
    public double? Utilization { get; init; }
    public double? GpuHourPrice { get; init; }
    public required string PriceSource { get; init; }
    public double? P95TtftMs { get; init; }
    public double? P95TpotMs { get; init; }
    public required int Dropped { get; init; }
    public required int Rejected { get; init; }
    public double? PrefixCacheHitRate { get; init; }
    public double? SaturatedOutputThroughput { get; init; }
    public double? SaturatedRequestRate { get; init; }
    public required int ThroughputReplicas { get; init; }
    public double? ThroughputMonthlyCost { get; init; }
    public double? Quality { get; init; }
    public double? QualityShareBelowFloor { get; init; }
    public required bool BelowMinQuality { get; init; }
    public required bool OnQualityFrontier { get; init; }
    public required int Simulations { get; init; }
    public string? Note { get; init; }
    public IReadOnlyList<int>? HourlyReplicas { get; init; }
    public double? AutoscaledMonthlyCost { get; init; }
    public double? AutoscaledCostPerRequest { get; init; }
    public WorstWindowJson? WorstWindow { get; init; }

    public static PlanRowJson From(PlanRow r) => new()
    {
        Label = r.Config.Label, Tp = r.Config.TensorParallel, Gpu = r.Config.Gpu, WeightDtype = r.Config.WeightDtype, Replicas = r.Replicas,
        MeetsSlo = r.MeetsSlo, OneFewerMisses = r.OneFewerMisses,
        MonthlyCost = r.MonthlyCost, CostPerRequest = r.CostPerRequest, CostPer1MOutputTokens = r.CostPer1MOutputTokens,
        Utilization = r.Utilization, GpuHourPrice = r.Config.DollarsPerGpuHour, PriceSource = r.Config.PriceSource,
        P95TtftMs = r.Sim.Stat("ttft", "p95"), P95TpotMs = r.Sim.Stat("tpot", "p95"),
        Dropped = r.Sim.Dropped, Rejected = r.Sim.Rejected, PrefixCacheHitRate = r.Sim.PrefixCacheHitRate,
        SaturatedOutputThroughput = r.SaturatedOutputThroughput, SaturatedRequestRate = r.SaturatedRequestRate,
        ThroughputReplicas = r.ThroughputReplicas, ThroughputMonthlyCost = r.ThroughputMonthlyCost,
        Quality = r.Quality?.Score, QualityShareBelowFloor = r.Quality?.ShareBelowFloor,
        BelowMinQuality = r.BelowMinQuality, OnQualityFrontier = r.OnQualityFrontier, Simulations = r.Simulations, Note = r.Note,
        HourlyReplicas = r.HourlyReplicas,
        AutoscaledMonthlyCost = r.AutoscaledMonthlyCost, AutoscaledCostPerRequest = r.AutoscaledCostPerRequest,
        WorstWindow = WorstWindowJson.From(r.Verdict),
    };
}

/// <summary>One cell row of the useful-work matrix (TrafficJson.UsefulWorkKeys).</summary>
public sealed record UsefulWorkJson(string Traffic, string Sizing, string Config, int Replicas, int Successful, int Dropped, int Rejected,
    double? P95TtftMs, double? P95TpotMs, double? CostPer1KSuccessful, bool MeetsSlo)
{
    public static UsefulWorkJson From(UsefulWorkRow u) => new(u.Traffic, u.Sizing, u.Config, u.Replicas, u.Successful, u.Dropped, u.Rejected,
        u.P95TtftMs, u.P95TpotMs, u.CostPer1kSuccessful, u.MeetsSlo);
}
