using System.Text.Json.Serialization;

namespace Micro.Core.Results.Points;

/// <summary>How the launch suite issues its kernels.</summary>
public enum LaunchKind
{
    /// <summary>cuLaunchKernel back to back on one stream: time per launch.</summary>
    [JsonStringEnumMemberName("stream")] Stream,
    /// <summary>One launch then a synchronize: the round trip.</summary>
    [JsonStringEnumMemberName("sync-roundtrip")] SyncRoundTrip,
    /// <summary>A captured CUDA graph of N launches, replayed: time per kernel.</summary>
    [JsonStringEnumMemberName("graph-replay")] GraphReplay,
}

/// <summary>One kernel-launch point: which kernel, how it is launched, how many launches one sample times.</summary>
public sealed record LaunchParameters : IPointParameters
{
    public required LaunchKind Kind { get; init; }
    /// <summary>micro_empty (does nothing) or micro_tick (counts its launches).</summary>
    public required string Kernel { get; init; }
    public required int LaunchesPerSample { get; init; }
}
