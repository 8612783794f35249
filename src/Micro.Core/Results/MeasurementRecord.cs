using Micro.Core.Statistics;

namespace Micro.Core.Results;

/// <summary>
/// One measured point, written as one JSON line of results.jsonl the moment it is measured.
/// Times are seconds per iteration. Bytes and Flops are what one iteration counts (BytesCounted says which bytes).
/// </summary>
public sealed record MeasurementRecord
{
    public const string CurrentSchema = "micro.result/2";

    public string Schema { get; init; } = CurrentSchema;
    public required string Suite { get; init; }
    public required string Case { get; init; }
    public required string Backend { get; init; }
    public required string Device { get; init; }
    public string DType { get; init; } = "";
    /// <summary>Case parameters as text (sizes, layout, op ...), sorted by key when written.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    public long Bytes { get; init; }
    public string BytesCounted { get; init; } = "";
    public double Flops { get; init; }
    /// <summary>"device-events", "host-clock", "mpi-wtime", "imported" ...</summary>
    public string Timer { get; init; } = "";
    public int Warmup { get; init; }
    public required SampleSummary Time { get; init; }
    public Throughput? Bandwidth { get; init; }
    public Throughput? Compute { get; init; }
    public required Verification Verification { get; init; }
    /// <summary>The ceiling this point is a candidate for (e.g. memory_bandwidth); null when it is not one.</summary>
    public string? Ceiling { get; init; }
    /// <summary>Free-form caveat shown beside the figure, e.g. "emulator, not a ceiling".</summary>
    public string? Label { get; init; }
    /// <summary>Machine load while the point was measured (host points); null where not measured.</summary>
    public Contention? Contention { get; init; }
    /// <summary>True when measured by a --quick run (small sizes, few iterations): a smoke figure, never preferred as a ceiling; null otherwise.</summary>
    public bool? Quick { get; init; }
    public int? Rank { get; init; }
    public string? Host { get; init; }
    public string? DeviceId { get; init; }
    /// <summary>NVML power, energy, clocks and temperature sampled during the timed window (GPU points); null elsewhere.</summary>
    public Micro.Core.Context.PowerSummary? Power { get; init; }
    public DateTimeOffset Timestamp { get; init; } = DateTimeOffset.UtcNow;
}
