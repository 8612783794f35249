using Micro.EndToEnd.Metrics;

namespace Micro.EndToEnd.Analysis;

/// <summary>One SLO objective judged at one point.</summary>
public sealed record SloCheck(string Slo, double? ValueMs, bool? Met, string? Why);

/// <summary>Everything analysis.json says about one input point.</summary>
public sealed record PointAnalysis
{
    public required string Source { get; init; }
    public string? ModelId { get; init; }
    /// <summary>max_concurrency, or the measured average in flight (request throughput x mean E2EL) when absent.</summary>
    public double? Concurrency { get; init; }
    public required string ConcurrencySource { get; init; }
    /// <summary>Requests/s offered; null = "inf".</summary>
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
    /// <summary>The latency statistics used, ms, keyed "p99_tpot".</summary>
    public required IReadOnlyDictionary<string, double> LatencyMs { get; init; }
    public required string LatencySource { get; init; }
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
    /// <summary>Energy floor per output token at speed of light (J): measured board power at the bound x TP x step time / batch.</summary>
    public double? SolEnergyPerOutputTokenJ { get; init; }

    public required double CostPerRequest { get; init; }
    public double? CostPerGoodRequest { get; init; }
    public required double CostPer1MOutputTokens { get; init; }
    public required double CostPer1MTotalTokens { get; init; }
    /// <summary>Completed / offered: failed or dropped requests are not useful work.</summary>
    public double? UsefulFraction { get; init; }
    public double? CostPerOfferedRequest { get; init; }

    public IReadOnlyList<Discrepancy> Discrepancies { get; init; } = [];
    public IReadOnlyList<LengthBucket> LengthBuckets { get; init; } = [];
    public IReadOnlyList<string> Diagnosis { get; init; } = [];

    public double? Latency(string stat, string metric) => LatencyMs.TryGetValue($"{stat}_{metric}", out var v) ? v : null;
}
