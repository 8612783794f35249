using Micro.EndToEnd.Metrics;

namespace Micro.EndToEnd.Analysis;

/// <summary>One SLO objective judged at one point.</summary>
public sealed record SloCheck(string Slo, double? ValueMs, bool? Met, string? Why);

/// <summary>Everything analysis.json says about one input point.</summary>
public sealed record PointAnalysis
{
    public required string Source { get; init; }
    public string? ModelId { get; init; }
    /// <summary>max_concurrency; num_prompts when request_rate is inf; else the measured average in flight (request throughput x mean E2EL).</summary>
    public double? Concurrency { get; init; }
    public required string ConcurrencySource { get; init; }
    /// <summary>Requests/s offered; +Infinity for "inf" (written "Infinity"), null when unknown.</summary>
    public double? RequestRate { get; init; }
    public required double Duration { get; init; }
    public required long Completed { get; init; }
    public long? Failed { get; init; }
    public required double MeanInputTokens { get; init; }
    public required double MeanOutputTokens { get; init; }
    public required double OutputThroughput { get; init; }
    public required double TotalTokenThroughput { get; init; }
    public required double RequestThroughput { get; init; }
    public required double OutputThroughputPerGpu { get; init; }
    /// <summary>Tokens/s one user sees: 1000 / mean TPOT.</summary>
    public double? PerUserTokensPerSecond { get; init; }
    /// <summary>The latency statistics used, ms, keyed with their unit: "p99_tpot_ms" (see LatencyKey).</summary>
    public required IReadOnlyDictionary<string, double> LatencyMs { get; init; }
    public required string LatencySource { get; init; }
    /// <summary>Where each LatencyMs figure comes from (same keys): recomputed from the arrays, or as stated and why.</summary>
    public IReadOnlyDictionary<string, string> LatencyProvenance { get; init; } = new Dictionary<string, string>();
    /// <summary>Successful requests that returned 0 tokens (null without per-request arrays): TPOT is undefined for them.</summary>
    public int? ZeroTokenRequests { get; init; }
    /// <summary>Mean TTFT over the requests that returned tokens, when some returned none (they pull the mean down).</summary>
    public double? MeanTtftMsWithTokens { get; init; }
    /// <summary>Decode tokens per streamed chunk when the server sent several per chunk: ITL is then time between chunks.</summary>
    public double? ItlTokensPerChunk { get; init; }
    /// <summary>In words, when ITL is not per token: how many gaps for how many decode tokens.</summary>
    public string? ItlNote { get; init; }
    public bool? MeetsSlo { get; init; }
    public IReadOnlyList<SloCheck> SloChecks { get; init; } = [];
    public double? GoodputRps { get; init; }
    public string? GoodputNote { get; init; }

    public double? SolOutputThroughput { get; init; }
    public double? SolFraction { get; init; }
    public double? SolRequestThroughput { get; init; }
    public double? SolTpotMs { get; init; }
    public double? SolTtftMs { get; init; }
    public string? SolBound { get; init; }
    public int? SolBatchPerReplica { get; init; }
    public double? SolContext { get; init; }
    public double? SolWeightGbPerGpu { get; init; }
    public double? SolKvGbPerGpu { get; init; }
    /// <summary>True when the point beats a speed-of-light bound (output above the decode bound, or median TTFT below the
    /// prefill bound): an assumption is wrong, and AboveSolCauses names the likely ones.</summary>
    public bool AboveSol { get; init; }
    public IReadOnlyList<string> AboveSolCauses { get; init; } = [];
    /// <summary>Energy floor per output token at speed of light (J): measured board power at the bound x TP x step time / batch.</summary>
    public double? SolEnergyPerOutputTokenJ { get; init; }

    /// <summary>Null (n/a) when no price was given: AnalysisResult.PriceSource says why.</summary>
    public double? CostPerRequest { get; init; }
    public double? CostPerGoodRequest { get; init; }
    public double? CostPer1MOutputTokens { get; init; }
    public double? CostPer1MTotalTokens { get; init; }
    /// <summary>Completed / offered: failed or dropped requests are not useful work.</summary>
    public double? UsefulFraction { get; init; }
    public double? CostPerOfferedRequest { get; init; }

    /// <summary>--quality: the score of the quality table's row for this run (null when no row matches), that row's key and share of outputs under the floor.</summary>
    public double? Quality { get; init; }
    public string? QualityKey { get; init; }
    public double? QualityShareBelowFloor { get; init; }
    /// <summary>--quality: whether no other run meeting the SLO is both cheaper per 1M output tokens and better; null without a table.</summary>
    public bool? OnQualityFrontier { get; init; }

    public IReadOnlyList<Discrepancy> Discrepancies { get; init; } = [];
    public IReadOnlyList<LengthBucket> LengthBuckets { get; init; } = [];
    public IReadOnlyList<string> Diagnosis { get; init; } = [];

    public double? Latency(string stat, string metric) => LatencyMs.TryGetValue(LatencyKey(stat, metric), out var v) ? v : null;

    /// <summary>The latency_ms key of a statistic of a metric, as vLLM names it: mean_ttft_ms, p99.9_itl_ms.</summary>
    public static string LatencyKey(string stat, string metric) => $"{stat}_{metric}_ms";
}
