using System.Text.Json.Serialization;

namespace Micro.Core.Results.Points;

public enum CopyDirection
{
    [JsonStringEnumMemberName("h2d")] HostToDevice,
    [JsonStringEnumMemberName("d2h")] DeviceToHost,
    [JsonStringEnumMemberName("bidir")] Bidirectional,
    [JsonStringEnumMemberName("d2d")] DeviceToDevice,
}

/// <summary>One copy point (link suite, the launch suite's small copies): direction, memory, engine and size.</summary>
public sealed record CopyParameters : IPointParameters
{
    public required CopyDirection Direction { get; init; }
    /// <summary>pinned, pageable or device.</summary>
    public required string Memory { get; init; }
    /// <summary>copy-engine or sm-kernel.</summary>
    public required string Engine { get; init; }
    /// <summary>Bytes of one copy.</summary>
    public required long SizeBytes { get; init; }
}
