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

    public Ceiling? Find(string name) => Ceilings.FirstOrDefault(c => c.Name == name);
}
