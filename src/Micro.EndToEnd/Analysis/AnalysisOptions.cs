using Micro.EndToEnd.Metrics;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Analysis;

/// <summary>Everything `micro analyze` takes besides the result files.</summary>
public sealed record AnalysisOptions
{
    public IReadOnlyList<SloSpec> Slos { get; init; } = [];
    /// <summary>GPUs billed per deployment (a disaggregated run bills prefill + decode GPUs).</summary>
    public int Gpus { get; init; } = 1;
    /// <summary>Tensor-parallel size of one decode replica (what decode speed of light divides by).</summary>
    public int TensorParallel { get; init; } = 1;
    /// <summary>Decode replicas sharing the benchmark's concurrency (1 for a 1P1D run).</summary>
    public int DecodeReplicas { get; init; } = 1;
    public double GpuHourPrice { get; init; }
    public string PriceSource { get; init; } = "";
    public double? RequestsPerMonth { get; init; }
    public double PeakFactor { get; init; } = 1;
    public double? PricePer1MTokens { get; init; }
    public double? PricePerRequest { get; init; }
    /// <summary>Also estimate the operating point between measured points (labelled interpolated).</summary>
    public bool Interpolate { get; init; }
    /// <summary>Speed of light (model + hardware); null when no model or hardware was given.</summary>
    public SolModel? Sol { get; init; }

    public double DollarsPerHour => Gpus * GpuHourPrice;
}
