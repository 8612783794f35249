using System.Text.Json;
using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Core.Input;
using Micro.Core.Results;

namespace Micro.Core.Fleet;

/// <summary>What one rank sends to rank 0 at the end of a fleet run: who it is, where it ran, what it measured.</summary>
public sealed record RankReport
{
    public required int Rank { get; init; }
    public required int Size { get; init; }
    public int LocalRank { get; init; }
    public required string Host { get; init; }
    public required FleetMember Member { get; init; }
    public IReadOnlyList<DeviceInfo> Devices { get; init; } = [];
    public IReadOnlyList<TelemetrySample> Telemetry { get; init; } = [];
    public IReadOnlyList<MeasurementRecord> Records { get; init; } = [];
    public IReadOnlyList<string> Skipped { get; init; } = [];
    public IReadOnlyList<string> Failures { get; init; } = [];

    /// <summary>A peer's report is bounded like any input file.</summary>
    public const int MaxBytes = 256 << 20;

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, MicroJson.Line);

    public static RankReport FromBytes(ReadOnlySpan<byte> bytes, int fromRank)
    {
        var origin = $"rank {fromRank} report";
        if (bytes.Length > MaxBytes) throw new InputException(origin, null, $"{bytes.Length} bytes, more than the {MaxBytes}-byte limit");
        if (bytes.IsEmpty) throw new InputException(origin, null, "empty");
        var r = JsonInput.Parse<RankReport>(bytes, origin, MicroJson.Line, "a rank report", JsonShape.NonFinite.NaN | JsonShape.NonFinite.Infinity);
        if (r.Rank != fromRank) throw new InputException(origin, "rank", $"says rank {r.Rank}");
        return r;
    }
}
