using Micro.Core.Context;

namespace Micro.Core.Ceilings;

/// <summary>ceilings.json: per device, the best verified figure of each ceiling, plus the run context.</summary>
public sealed record CeilingsProfile
{
    public const string CurrentSchema = "micro.ceilings/2";
    public const string FileName = "ceilings.json";

    public string Schema { get; init; } = CurrentSchema;
    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;
    public required RunContext Context { get; init; }
    public IReadOnlyList<DeviceCeilings> Devices { get; init; } = [];
    /// <summary>Present when the run was a fleet run (`micro run --fleet`): one entry per rank in Devices, and this summary.</summary>
    public FleetSection? Fleet { get; init; }
}
