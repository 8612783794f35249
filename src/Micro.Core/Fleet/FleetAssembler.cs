using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Core.Results;

namespace Micro.Core.Fleet;

/// <summary>Rank 0's side of a fleet run: every rank's records stamped with rank, host and device id, per-rank ceilings, and the fleet section.</summary>
public static class FleetAssembler
{
    public sealed record Assembled(IReadOnlyList<MeasurementRecord> Records, IReadOnlyList<DeviceInfo> Devices, IReadOnlyList<DeviceCeilings> Ceilings, FleetSection Fleet);

    public static Assembled Assemble(IReadOnlyList<RankReport> reports, double threshold = FleetAnalysis.DefaultThreshold)
    {
        var ordered = reports.OrderBy(r => r.Rank).ToList();
        var records = ordered.SelectMany(r => r.Records.Select(m => m with
        {
            Rank = r.Rank,
            Host = r.Host,
            DeviceId = m.DeviceId ?? r.Member.DeviceId,
        })).ToList();
        var devices = ordered.SelectMany(r => r.Devices).DistinctBy(d => (d.Name, d.Uuid, d.PciBusId)).ToList();
        var ceilings = CeilingsBuilder.Build(records, devices);
        var members = ordered.Select(r => r.Member with { Rank = r.Rank, Host = r.Host }).ToList();
        return new Assembled(records, devices, ceilings, FleetAnalysis.Analyze(ceilings, members, threshold));
    }

    /// <summary>The member facts a rank can gather about itself: device, ids, NUMA placement, telemetry.</summary>
    public static FleetMember Describe(int rank, string host, DeviceInfo? device, IReadOnlyList<TelemetrySample> telemetry, NumaTopology topology, IReadOnlyList<string> links)
    {
        var pci = device?.PciBusId;
        var mine = telemetry.Where(t => device is null || t.Device == device.Name).ToList();
        return new FleetMember
        {
            Rank = rank, Host = host, Device = device?.Name ?? "unknown",
            DeviceId = device?.Uuid ?? pci ?? (device?.Kind == DeviceKind.Host ? $"{host}:cpu" : null),
            PciBusId = pci,
            DeviceNumaNode = device?.NumaNode ?? topology.DeviceNode(pci),
            CpuNumaNodes = topology.CpuNodes(),
            Links = links,
            ThrottleReasons = mine.SelectMany(t => t.ThrottleReasonNames).Distinct(StringComparer.Ordinal).ToList(),
            SmClockMHz = mine.LastOrDefault(t => t.SmClockMHz is > 0)?.SmClockMHz,
        };
    }
}
