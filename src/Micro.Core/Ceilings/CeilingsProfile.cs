using Micro.Core.Context;

namespace Micro.Core.Ceilings;

/// <summary>
/// ceilings.json: per device, the best verified figure of each ceiling over every run in the folder (CeilingsService),
/// the latest run's context, and the context of every run that wrote points there.
/// </summary>
public sealed record CeilingsProfile
{
    public const string CurrentSchema = "micro.ceilings/2";
    public const string FileName = "ceilings.json";

    public string Schema { get; init; } = CurrentSchema;
    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;
    /// <summary>The latest run's context.</summary>
    public required RunContext Context { get; init; }
    /// <summary>Every run that wrote into the folder, oldest first (the last one is Context); empty in /1 files.</summary>
    public IReadOnlyList<RunContext> Runs { get; init; } = [];
    public IReadOnlyList<DeviceCeilings> Devices { get; init; } = [];
    /// <summary>Present when the run was a fleet run (`micro run --fleet`): one entry per rank in Devices, and this summary.</summary>
    public FleetSection? Fleet { get; init; }
}
