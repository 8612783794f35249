namespace Micro.Core.Ceilings;

/// <summary>
/// The fleet part of ceilings.json: who took part, per ceiling the fleet median and MAD, and the devices flagged
/// as outliers (too far below the median, or throttled), each named by rank, host and device.
/// </summary>
public sealed record FleetSection
{
    public int Ranks { get; init; }
    public IReadOnlyList<string> Hosts { get; init; } = [];
    /// <summary>A device whose figure is worse than the fleet median by more than this fraction is flagged (0.05 = 5%).</summary>
    public double Threshold { get; init; }
    public IReadOnlyList<FleetMember> Members { get; init; } = [];
    public IReadOnlyList<FleetCeilingStats> Ceilings { get; init; } = [];
    public IReadOnlyList<FleetOutlier> Outliers { get; init; } = [];
}

/// <summary>One rank of the fleet and the device it measured, with the placement facts that explain a slow one.</summary>
public sealed record FleetMember
{
    public required int Rank { get; init; }
    public required string Host { get; init; }
    public required string Device { get; init; }
    public string? DeviceId { get; init; }
    public string? PciBusId { get; init; }
    /// <summary>NUMA node of the device (sysfs numa_node); null when unknown.</summary>
    public int? DeviceNumaNode { get; init; }
    /// <summary>NUMA nodes of the CPUs this rank was allowed to run on.</summary>
    public IReadOnlyList<int> CpuNumaNodes { get; init; } = [];
    /// <summary>Link facts as reported (e.g. "GPU1: NVLink x18"); empty where unknown.</summary>
    public IReadOnlyList<string> Links { get; init; } = [];
    /// <summary>Throttle reasons seen in telemetry during the run (NVML names).</summary>
    public IReadOnlyList<string> ThrottleReasons { get; init; } = [];
    public int? SmClockMHz { get; init; }
}

/// <summary>Fleet statistics of one ceiling over the members that measured it.</summary>
public sealed record FleetCeilingStats
{
    public required string Name { get; init; }
    public required string Unit { get; init; }
    public Better Better { get; init; } = Better.Higher;
    public int Count { get; init; }
    public double Median { get; init; }
    /// <summary>Median absolute deviation (unscaled), in the ceiling's unit.</summary>
    public double Mad { get; init; }
    public double Min { get; init; }
    public double Max { get; init; }
    public IReadOnlyList<FleetValue> Values { get; init; } = [];
}

/// <param name="Deficit">How much worse than the fleet median, as a fraction of it (0.1 = 10% worse; negative = better).</param>
public sealed record FleetValue(int Rank, string Host, string Device, double Value, double Deficit);

public sealed record FleetOutlier
{
    public required int Rank { get; init; }
    public required string Host { get; init; }
    public required string Device { get; init; }
    public string? DeviceId { get; init; }
    /// <summary>The ceiling that is low, or null when the flag is throttling alone.</summary>
    public string? Ceiling { get; init; }
    public double? Value { get; init; }
    public double? FleetMedian { get; init; }
    public double? Deficit { get; init; }
    /// <summary>"below-median", "throttled", "clock".</summary>
    public required string Reason { get; init; }
    /// <summary>What placement or telemetry explains it, where known (e.g. cross-NUMA).</summary>
    public string? Explanation { get; init; }
}
