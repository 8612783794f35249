using System.Text.Json.Serialization;
using Micro.Core.Results.Points;
using Micro.Core.Statistics;

namespace Micro.Core.Results;

/// <summary>
/// One measured point, written as one JSON line of results.jsonl the moment it is measured.
/// Times are seconds per iteration. Bytes and Flops are what one iteration counts (BytesCounted says which bytes).
/// What a program reads back about the case is typed: at most one of Gemm, Attention, Collective, Launch, Copy, Stream
/// is set (by the suite that measured it); the rest of the case's description is text in Parameters.
/// Version 2 lines (and version 1, through LegacySchema) are upgraded on read by ResultsV2.
/// </summary>
public sealed record MeasurementRecord
{
    public const string CurrentSchema = "micro.result/3";

    public string Schema { get; init; } = CurrentSchema;
    public required string Suite { get; init; }
    public required string Case { get; init; }
    public required string Backend { get; init; }
    public required string Device { get; init; }
    public string DType { get; init; } = "";
    /// <summary>The rest of the case's description as text (library, settings, printed figures ...), sorted by key when written.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    public GemmParameters? Gemm { get; init; }
    public AttentionParameters? Attention { get; init; }
    public CollectiveParameters? Collective { get; init; }
    public LaunchParameters? Launch { get; init; }
    public CopyParameters? Copy { get; init; }
    public StreamParameters? Stream { get; init; }
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

    /// <summary>The typed point, whichever suite it is of; null when the record has none.</summary>
    [JsonIgnore]
    public IPointParameters? Point => (IPointParameters?)Gemm ?? (IPointParameters?)Attention ?? (IPointParameters?)Collective
        ?? (IPointParameters?)Launch ?? (IPointParameters?)Copy ?? Stream;

    /// <summary>This record with <paramref name="point"/> set in the member of its type (null: unchanged).</summary>
    public MeasurementRecord WithPoint(IPointParameters? point) => point switch
    {
        null => this,
        GemmParameters g => this with { Gemm = g },
        AttentionParameters a => this with { Attention = a },
        CollectiveParameters c => this with { Collective = c },
        LaunchParameters l => this with { Launch = l },
        CopyParameters c => this with { Copy = c },
        StreamParameters s => this with { Stream = s },
        _ => throw new ArgumentException("unknown point type " + point.GetType().Name, nameof(point)),
    };

    /// <summary>How many typed points are set (a valid record has at most one).</summary>
    [JsonIgnore]
    public int PointCount => (Gemm is null ? 0 : 1) + (Attention is null ? 0 : 1) + (Collective is null ? 0 : 1)
        + (Launch is null ? 0 : 1) + (Copy is null ? 0 : 1) + (Stream is null ? 0 : 1);

    /// <summary>The point's fields and the text parameters as key=value, sorted by key (CSV, reports, ceilings.json).</summary>
    public IEnumerable<KeyValuePair<string, string>> DescribedParameters() =>
        (Point is { } p ? PointText.Pairs(p) : []).Concat(Parameters).OrderBy(x => x.Key, StringComparer.Ordinal);

    /// <summary><see cref="DescribedParameters"/> as one line: key=value joined by <paramref name="separator"/>.</summary>
    public string DescribeParameters(string separator = ";") => string.Join(separator, DescribedParameters().Select(p => $"{p.Key}={p.Value}"));
}
