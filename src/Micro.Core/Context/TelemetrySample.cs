namespace Micro.Core.Context;

/// <summary>NVML readings before/after a suite, so throttling is visible beside the figures.</summary>
public sealed record TelemetrySample
{
    public required string Device { get; init; }
    public required string When { get; init; }
    public DateTimeOffset Timestamp { get; init; } = DateTimeOffset.UtcNow;
    public double? TemperatureC { get; init; }
    public double? PowerW { get; init; }
    public double? PowerLimitW { get; init; }
    public int? SmClockMHz { get; init; }
    public int? MemClockMHz { get; init; }
    public ulong? ThrottleReasons { get; init; }
    public IReadOnlyList<string> ThrottleReasonNames { get; init; } = [];
}
