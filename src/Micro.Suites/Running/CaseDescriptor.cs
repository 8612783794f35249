namespace Micro.Suites.Running;

/// <summary>What a case is and what one iteration counts; the runner turns it plus timings into a MeasurementRecord.</summary>
public sealed record CaseDescriptor
{
    public required string Suite { get; init; }
    public required string Case { get; init; }
    public required string Backend { get; init; }
    public required string Device { get; init; }
    public string DType { get; init; } = "";
    public long Bytes { get; init; }
    public string BytesCounted { get; init; } = "";
    public double Flops { get; init; }
    /// <summary>The typed parameters programs read back (GEMM shape, attention kind and context ...); null: none.</summary>
    public Micro.Core.Results.Points.IPointParameters? Point { get; init; }
    /// <summary>The rest of the case's description as text.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    public string? Ceiling { get; init; }
    public string? Label { get; init; }
    public string? DeviceId { get; init; }
}
