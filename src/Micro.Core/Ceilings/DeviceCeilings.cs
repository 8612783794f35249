using Micro.Core.Context;

namespace Micro.Core.Ceilings;

public sealed record DeviceCeilings
{
    public required string Device { get; init; }
    public DeviceKind Kind { get; init; }
    public string? DeviceId { get; init; }
    public string? Host { get; init; }
    public int? Rank { get; init; }
    public string? DatasheetKey { get; init; }
    public IReadOnlyList<Ceiling> Ceilings { get; init; } = [];
    /// <summary>Per-model attention figures (decode GB/s per context, prefill TFLOP/s per length); null when not measured.</summary>
    public IReadOnlyList<AttentionPoint>? Attention { get; init; }

    public Ceiling? Find(string name) => Ceilings.FirstOrDefault(c => c.Name == name);
}
