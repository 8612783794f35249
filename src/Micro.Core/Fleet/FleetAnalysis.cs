using Micro.Core.Ceilings;
using Micro.Core.Statistics;

namespace Micro.Core.Fleet;

/// <summary>
/// Per ceiling, the fleet median and MAD over every rank's device; a device worse than the median by more than
/// the threshold is flagged, and so is a device whose telemetry shows throttling or a clock well below the fleet's.
/// </summary>
public static class FleetAnalysis
{
    public const double DefaultThreshold = 0.05;

    public static FleetSection Analyze(IReadOnlyList<DeviceCeilings> devices, IReadOnlyList<FleetMember> members, double threshold = DefaultThreshold)
    {
        if (!(threshold > 0 && threshold < 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be a fraction in (0, 1)");
        var byRank = members.ToDictionary(m => m.Rank);
        var stats = new List<FleetCeilingStats>();
        var outliers = new List<FleetOutlier>();

        var entries = devices
            .Where(d => d.Rank is not null)
            .SelectMany(d => d.Ceilings.Select(c => (Device: d, Ceiling: c)));
        foreach (var group in entries.GroupBy(e => e.Ceiling.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var items = group.Where(e => double.IsFinite(e.Ceiling.Value)).OrderBy(e => e.Device.Rank).ToList();
            if (items.Count == 0) continue;
            var values = items.Select(e => e.Ceiling.Value).ToArray();
            var median = Stats.Median(values);
            var better = items[0].Ceiling.Better;
            var fleetValues = items.Select(e => new FleetValue(e.Device.Rank!.Value, e.Device.Host ?? "", e.Device.Device, e.Ceiling.Value, Deficit(e.Ceiling.Value, median, better))).ToList();
            stats.Add(new FleetCeilingStats
            {
                Name = group.Key, Unit = items[0].Ceiling.Unit, Better = better, Count = items.Count,
                Median = median, Mad = Stats.Mad(values), Min = values.Min(), Max = values.Max(), Values = fleetValues,
            });
            if (items.Count < 2) continue;
            foreach (var (v, e) in fleetValues.Zip(items))
            {
                if (!(v.Deficit > threshold)) continue;
                byRank.TryGetValue(v.Rank, out var member);
                outliers.Add(new FleetOutlier
                {
                    Rank = v.Rank, Host = v.Host, Device = v.Device, DeviceId = e.Device.DeviceId ?? member?.DeviceId,
                    Ceiling = group.Key, Value = v.Value, FleetMedian = median, Deficit = v.Deficit,
                    Reason = "below-median", Explanation = Explain(member),
                });
            }
        }

        outliers.AddRange(TelemetryOutliers(members, threshold));
        return new FleetSection
        {
            Ranks = members.Count > 0 ? members.Count : devices.Count(d => d.Rank is not null),
            Hosts = members.Select(m => m.Host).Concat(devices.Select(d => d.Host ?? "")).Where(h => h.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            Threshold = threshold,
            Members = members.OrderBy(m => m.Rank).ToList(),
            Ceilings = stats,
            Outliers = outliers.OrderBy(o => o.Rank).ThenBy(o => o.Ceiling, StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>How much worse than the median, as a fraction of it: below it when higher is better, above it for times.</summary>
    public static double Deficit(double value, double median, Better better)
    {
        if (median == 0) return 0;
        return better == Better.Higher ? (median - value) / median : (value - median) / median;
    }

    private static IEnumerable<FleetOutlier> TelemetryOutliers(IReadOnlyList<FleetMember> members, double threshold)
    {
        foreach (var m in members.Where(m => m.ThrottleReasons.Any(IsSlowdown)).OrderBy(m => m.Rank))
            yield return new FleetOutlier
            {
                Rank = m.Rank, Host = m.Host, Device = m.Device, DeviceId = m.DeviceId, Reason = "throttled",
                Explanation = "throttle reasons: " + string.Join(", ", m.ThrottleReasons),
            };

        // Clocks compare only between devices of the same model.
        foreach (var clocked in members.Where(m => m.SmClockMHz is > 0).GroupBy(m => m.Device).Where(g => g.Count() >= 2))
        {
        var median = Stats.Median(clocked.Select(m => (double)m.SmClockMHz!.Value).ToArray());
        foreach (var m in clocked.OrderBy(m => m.Rank))
        {
            var deficit = Deficit(m.SmClockMHz!.Value, median, Better.Higher);
            if (deficit > threshold)
                yield return new FleetOutlier
                {
                    Rank = m.Rank, Host = m.Host, Device = m.Device, DeviceId = m.DeviceId, Reason = "clock",
                    Value = m.SmClockMHz, FleetMedian = median, Deficit = deficit,
                    Explanation = $"SM clock {m.SmClockMHz} MHz against a fleet median of {median:0} MHz",
                };
        }
        }
    }

    /// <summary>NVML reasons that mean the clocks were pulled down by heat, a hardware slowdown or a power brake.</summary>
    public static bool IsSlowdown(string reason)
    {
        var r = reason.Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        return r.Contains("thermal", StringComparison.Ordinal) || r.Contains("hwslowdown", StringComparison.Ordinal) || r.Contains("powerbrake", StringComparison.Ordinal);
    }

    /// <summary>The placement and telemetry facts that explain a slow device, or null when nothing stands out.</summary>
    public static string? Explain(FleetMember? m)
    {
        if (m is null) return null;
        var parts = new List<string>();
        if (m.DeviceNumaNode is { } node && node >= 0 && m.CpuNumaNodes.Count > 0 && !m.CpuNumaNodes.Contains(node))
            parts.Add($"cross-NUMA placement: device on NUMA node {node}, rank's CPUs on node(s) {string.Join(",", m.CpuNumaNodes)}");
        if (m.ThrottleReasons.Count > 0) parts.Add("throttle reasons: " + string.Join(", ", m.ThrottleReasons));
        return parts.Count > 0 ? string.Join("; ", parts) : null;
    }
}
