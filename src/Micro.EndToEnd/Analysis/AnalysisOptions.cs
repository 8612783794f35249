using Micro.EndToEnd.Metrics;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Analysis;

/// <summary>Everything `micro analyze` takes besides the result files.</summary>
public sealed record AnalysisOptions
{
    public IReadOnlyList<SloSpec> Slos { get; init; } = [];
    /// <summary>Where the model ran: one aggregated pool, or prefill and decode pools.</summary>
    public Deployment.Deployment Deployment { get; init; } = Micro.EndToEnd.Deployment.Deployment.Aggregated();
    /// <summary>GPUs billed per deployment (a disaggregated run bills prefill + decode GPUs).</summary>
    public int Gpus => Deployment.BilledGpus;
    /// <summary>Tensor-parallel size of one decode replica (what decode speed of light divides by).</summary>
    public int TensorParallel => Deployment.Decode.TensorParallel;
    /// <summary>Decode replicas sharing the benchmark's concurrency.</summary>
    public int DecodeReplicas => Deployment.DecodeReplicas;
    /// <summary>USD per GPU-hour; null when no price was given or known (cost figures are then n/a, PriceSource says why).</summary>
    public double? GpuHourPrice { get; init; }
    public string PriceSource { get; init; } = "";
    public double? RequestsPerMonth { get; init; }
    public double PeakFactor { get; init; } = 1;
    public double? PricePer1MTokens { get; init; }
    public double? PricePerRequest { get; init; }
    /// <summary>Also estimate the operating point between measured points (labelled interpolated).</summary>
    public bool Interpolate { get; init; }
    /// <summary>--quality: scores joined to each run by its file name, its deployment label or model/weight dtype.</summary>
    public Traffic.QualityTable? Quality { get; init; }
    /// <summary>--weight-dtype as given (what a quality table's "model/dtype" key names when there is no --model).</summary>
    public string? WeightDtype { get; init; }
    /// <summary>Speed of light (model + hardware) on the decode pool; null when no model or hardware was given.</summary>
    public SolModel? Sol { get; init; }
    /// <summary>Speed of light of prefill on its own pool (the prefill pool's TP when disaggregated).</summary>
    public SolModel? PrefillSol => Sol is { } s && Deployment.Prefill is { } p ? s.WithTensorParallel(p.TensorParallel) : Sol;

    /// <summary>USD per hour for every GPU billed; null without a price.</summary>
    public double? DollarsPerHour => GpuHourPrice is { } p ? Gpus * p : null;
}
