using Micro.EndToEnd.Cost;

namespace Micro.EndToEnd.Analysis;

/// <summary>A chosen point (throughput-optimal or operating point) and what serving the monthly traffic with it costs.</summary>
public sealed record ChosenPoint
{
    public required int Index { get; init; }
    public required string Source { get; init; }
    public double? Concurrency { get; init; }
    public required double OutputThroughput { get; init; }
    public required double RequestThroughput { get; init; }
    public double? CostPerRequest { get; init; }
    public bool? MeetsSlo { get; init; }
    /// <summary>True only for interpolated_operating_point (--interpolate): an estimate between two measured points.</summary>
    public bool Interpolated { get; init; }
    public double? UnitMonthlyCost { get; init; }
    public double? ProvisionedMonthlyCost { get; init; }
    public double? MonthlyCostDelta { get; init; }
    public int? Replicas { get; init; }
    public double? Margin { get; init; }
    public MonthlyCost? Monthly { get; init; }
}

public sealed record ParetoFrontiers
{
    /// <summary>Indices of points on the frontier of output tokens/s per GPU vs tokens/s per user.</summary>
    public required IReadOnlyList<int> ThroughputPerGpuVsPerUser { get; init; }
    /// <summary>Indices of points on the frontier of mean E2E latency (lower) vs requests/s (higher).</summary>
    public required IReadOnlyList<int> LatencyVsRequestRate { get; init; }
}

public sealed record SolSummary
{
    public required string Model { get; init; }
    public required string Hardware { get; init; }
    public required string HardwareLabel { get; init; }
    public required string HardwareSource { get; init; }
    public required double BandwidthGBps { get; init; }
    public required double GemmTflops { get; init; }
    public required int TensorParallel { get; init; }
    public required int DecodeReplicas { get; init; }
    /// <summary>Tensor-parallel size the prefill bound divides by (the prefill pool's when disaggregated).</summary>
    public int? PrefillTensorParallel { get; init; }
    public required string ParameterCountMode { get; init; }
    public required double TotalParameters { get; init; }
    public required double ActiveParametersPerToken { get; init; }
    public required string WeightAssumption { get; init; }
    public required double KvBytesPerElement { get; init; }
    public required string Formula { get; init; }
}

/// <summary>analysis.json.</summary>
public sealed record AnalysisResult
{
    public const string CurrentSchema = "micro.analysis/2";
    public string Schema { get; init; } = CurrentSchema;
    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;
    public required IReadOnlyList<string> Inputs { get; init; }
    public required IReadOnlyList<string> Slos { get; init; }
    public required int Gpus { get; init; }
    /// <summary>The pools the GPUs form (aggregated, or prefill and decode pools); null in files from before it was recorded.</summary>
    public Deployment.Deployment? Deployment { get; init; }
    /// <summary>Null when no price was given or known: cost figures are n/a and PriceSource says why.</summary>
    public double? GpuHourPrice { get; init; }
    public required string PriceSource { get; init; }
    public SolSummary? SpeedOfLight { get; init; }
    public required IReadOnlyList<string> Assumptions { get; init; }
    public required IReadOnlyList<PointAnalysis> Points { get; init; }
    /// <summary>The --quality table joined to the points; null without one.</summary>
    public string? QualitySource { get; init; }
    public required ParetoFrontiers Pareto { get; init; }
    public required ChosenPoint ThroughputOptimal { get; init; }
    public ChosenPoint? OperatingPoint { get; init; }
    public string? OperatingPointNote { get; init; }
    /// <summary>With --interpolate: the estimated cheapest concurrency meeting every SLO between two measured points.</summary>
    public ChosenPoint? InterpolatedOperatingPoint { get; init; }
    public required IReadOnlyList<string> Diagnosis { get; init; }
    /// <summary>The point with the highest sol_fraction at or below 1 (a point above speed of light never is); null without SoL.</summary>
    public ChosenPoint? ClosestToSol { get; init; }
    /// <summary>Files skipped in sweep folders, files given twice, several model_ids, quantization hints: one line each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
