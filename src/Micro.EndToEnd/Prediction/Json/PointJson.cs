using System.Text.Json.Serialization;
using Micro.EndToEnd.Traffic;

namespace Micro.EndToEnd.Prediction.Json;

/// <summary>One predicted point of prediction.json (keys pinned by the golden list, TrafficJson.QualityKeys and
/// TrafficJson.PointKeys): the load, vLLM's latency and throughput figures, cost, SLO verdict, the quality keys (with
/// --quality), the traffic keys (for replays), the mean step's parts, the 90% interval and TTFT's parts. Every key
/// micro.prediction/1 has had from the start is required (null where there is no value); interval and ttft_parts_ms,
/// added since, may be absent from an older file.</summary>
public sealed record PointJson
{
    public required int? Concurrency { get; init; }
    [JsonConverter(typeof(RequestRateConverter))]
    public required double? RequestRate { get; init; }
    public required int NumPrompts { get; init; }
    public required double? MeanTtftMs { get; init; }
    public required double? MedianTtftMs { get; init; }
    public required double? P99TtftMs { get; init; }
    public required double? MeanTpotMs { get; init; }
    public required double? MedianTpotMs { get; init; }
    public required double? P99TpotMs { get; init; }
    public required double? MedianItlMs { get; init; }
    public required double? P99ItlMs { get; init; }
    public required double? MedianE2elMs { get; init; }
    public required double? P99E2elMs { get; init; }
    public required double? OutputThroughput { get; init; }
    public required double? RequestThroughput { get; init; }
    public required double? TotalTokenThroughput { get; init; }
    public required double? OutputThroughputPerGpu { get; init; }
    public required double? RequestGoodput { get; init; }
    public required double? CostPerRequest { get; init; }
    public required double? CostPer1MOutputTokens { get; init; }
    public required bool? MeetsSlo { get; init; }
    public required IReadOnlyList<string> MissedSlos { get; init; }
    public required double? SolFraction { get; init; }
    public required double? MeanDecodeBatch { get; init; }
    public required long Preemptions { get; init; }
    public required double? PeakKvFraction { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OptionalKey<double?> Quality { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OptionalKey<string?> QualityKey { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OptionalKey<double?> QualityShareBelowFloor { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OptionalKey<bool> OnQualityFrontier { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OptionalKey<string?> Trace { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OptionalKey<int> Sent { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OptionalKey<int> Dropped { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OptionalKey<int> Rejected { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OptionalKey<double?> BusyFraction { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OptionalKey<double?> PrefixCacheHitRate { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OptionalKey<WorstWindowJson?> WorstWindow { get; init; }
    public required StepBreakdownJson Breakdown { get; init; }
    public PointIntervalJson? Interval { get; init; }
    public TtftPartsJson? TtftPartsMs { get; init; }

    public static PointJson From(PredictedPoint p)
    {
        var s = p.Sim;
        double? Stat(string metric, string stat) => s.Stat(metric, stat);
        var point = new PointJson
        {
            Concurrency = p.Load.Concurrency, RequestRate = p.Load.RequestRate, NumPrompts = p.Load.NumPrompts,
            MeanTtftMs = Stat("ttft", "mean"), MedianTtftMs = Stat("ttft", "median"), P99TtftMs = Stat("ttft", "p99"),
            MeanTpotMs = Stat("tpot", "mean"), MedianTpotMs = Stat("tpot", "median"), P99TpotMs = Stat("tpot", "p99"),
            MedianItlMs = Stat("itl", "median"), P99ItlMs = Stat("itl", "p99"), MedianE2elMs = Stat("e2el", "median"), P99E2elMs = Stat("e2el", "p99"),
            OutputThroughput = s.OutputThroughput, RequestThroughput = s.RequestThroughput,
            TotalTokenThroughput = s.TotalTokenThroughput, OutputThroughputPerGpu = p.TokensPerGpu,
            RequestGoodput = p.RequestGoodput, CostPerRequest = p.CostPerRequest,
            CostPer1MOutputTokens = p.CostPer1MOutputTokens, MeetsSlo = p.MeetsSlo, MissedSlos = p.MissedSlos,
            SolFraction = p.SolFraction, MeanDecodeBatch = s.MeanDecodeBatch, Preemptions = s.Preemptions,
            PeakKvFraction = s.PeakKvFraction,
            Breakdown = StepBreakdownJson.From(s.MeanStep),
            Interval = p.Intervals is { } iv ? PointIntervalJson.From(iv, p) : null,
            TtftPartsMs = s.MeanTtftParts is { } tp ? new TtftPartsJson(tp.FrontendMs, tp.QueueingMs, tp.PrefillMs) : null,
        };
        if (p.Quality is { } q)
            point = point with
            {
                Quality = q.Entry?.Score, QualityKey = q.Entry?.Key, QualityShareBelowFloor = q.Entry?.ShareBelowFloor,
                OnQualityFrontier = q.OnFrontier,
            };
        if (TrafficJson.Applies(p))
            point = point with
            {
                Trace = p.Load.Trace?.Source, Sent = s.Sent, Dropped = s.Dropped, Rejected = s.Rejected, BusyFraction = s.Utilization,
                PrefixCacheHitRate = s.PrefixCacheHitRate, WorstWindow = WorstWindowJson.From(p.Windowed),
            };
        return point;
    }
}

/// <summary>The mean step's parts in ms.</summary>
public sealed record StepBreakdownJson(double? WeightsMs, double? KvMs, double? ComputeMs, double? AttentionMs, double? CollectivesMs, double? OverheadMs, double? StepMs)
{
    public static StepBreakdownJson From(StepCost b)
    {
        static double? Ms(double seconds) => seconds * 1e3;
        return new(Ms(b.Weights), Ms(b.Kv), Ms(b.Compute), Ms(b.Attention), Ms(b.Collectives), Ms(b.Overhead), Ms(b.Total));
    }
}

/// <summary>A point's 90% intervals, each a [low, high] pair or null.</summary>
public sealed record PointIntervalJson(double Level, IReadOnlyList<double>? MedianTtftMs, IReadOnlyList<double>? MedianTpotMs, IReadOnlyList<double>? OutputThroughput,
    IReadOnlyList<double>? CostPerRequest, IReadOnlyList<double>? CostPer1MOutputTokens)
{
    public const double Nominal = 0.9;

    public static PointIntervalJson From(PointIntervals iv, PredictedPoint p) => new(Nominal, JsonNumber.Pair(iv.MedianTtftMs), JsonNumber.Pair(iv.MedianTpotMs),
        JsonNumber.Pair(iv.OutputThroughput), JsonNumber.Pair(iv.Cost(p.CostPerRequest)), JsonNumber.Pair(iv.Cost(p.CostPer1MOutputTokens)));
}

/// <summary>The mean TTFT's parts in ms: front-end, queueing and prefill compute.</summary>
public sealed record TtftPartsJson(double? Frontend, double? Queueing, double? Prefill);
