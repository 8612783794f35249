namespace Micro.Core.Ceilings;

public enum Better { Higher, Lower }

/// <summary>One measured ceiling of one device, with the datasheet figure where one exists.</summary>
public sealed record Ceiling
{
    /// <summary>memory_bandwidth, gemm_bf16, h2d_pinned, d2h_pinned, launch_latency, allreduce_busbw ... (see CeilingNames).</summary>
    public required string Name { get; init; }
    public required double Value { get; init; }
    public required string Unit { get; init; }
    public Better Better { get; init; } = Better.Higher;
    public required string Suite { get; init; }
    public required string Case { get; init; }
    public required string Backend { get; init; }
    public string? Parameters { get; init; }
    public double? Datasheet { get; init; }
    public double? FractionOfDatasheet { get; init; }
    /// <summary>The chosen point's CV is above 10% or it was taken on a busy machine, and no clean candidate existed.</summary>
    public bool Noisy { get; init; }
    /// <summary>The chosen point was measured on a busy machine (its contention.busy); one of the reasons for Noisy.</summary>
    public bool Busy { get; init; }
    /// <summary>The chosen point came from a --quick run: no full-run candidate existed. A smoke figure, not a ceiling to quote.</summary>
    public bool Quick { get; init; }
    /// <summary>Coefficient of variation of the chosen point's time.</summary>
    public double? Cv { get; init; }
    /// <summary>How many candidates of every run in the folder were weighed.</summary>
    public int Candidates { get; init; }
    /// <summary>When the chosen point was measured (which run it came from).</summary>
    public DateTimeOffset? Timestamp { get; init; }
    public string? Note { get; init; }
    /// <summary>Average board power (W, from the energy counter) over the point the efficiency comes from; null when not measured.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("average_w")] public double? AverageWatts { get; init; }
    /// <summary>Throughput per watt of that point: GB/s per W or TFLOP/s per W (<see cref="PerWattUnit"/>).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("per_watt")] public double? PerWatt { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("per_watt_unit")] public string? PerWattUnit { get; init; }
    /// <summary>The case the power was measured on, when it is not the ceiling's own point (that one was too short).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("power_from")] public string? PowerFrom { get; init; }
}
