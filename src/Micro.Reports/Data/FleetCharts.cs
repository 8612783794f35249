using Micro.Core.Ceilings;
using Micro.Core.Fleet;
using Micro.Reports.Text;

namespace Micro.Reports.Data;

/// <summary>Fleet: per ceiling, one bar per rank's device, the fleet median and the outlier threshold, outliers marked.</summary>
public static class FleetCharts
{
    public const int MaxCharts = 6;
    public const int MaxBars = 64;

    /// <summary>The fleet section of ceilings.json, or one computed from the records when they span several ranks.</summary>
    public static FleetSection? Section(ReportInput input)
    {
        if (input.Ceilings?.Fleet is { } f) return f;
        if (input.Records.Select(r => r.Rank).Where(r => r is not null).Distinct().Count() < 2) return null;
        var devices = CeilingsBuilder.Build(input.Records, input.Ceilings?.Context.Devices ?? []);
        return FleetAnalysis.Analyze(devices, []);
    }

    public static IEnumerable<Chart> Build(ReportInput input)
    {
        var fleet = Section(input);
        if (fleet is null) yield break;
        var index = 0;
        foreach (var c in fleet.Ceilings.Where(c => c.Count >= 2).Take(MaxCharts))
        {
            var flagged = fleet.Outliers.Where(o => o.Ceiling == c.Name).Select(o => o.Rank).ToHashSet();
            var bars = c.Values.OrderBy(v => v.Rank).Take(MaxBars)
                .Select(v => new ChartBar($"r{v.Rank}\n{SafeText.Bounded(v.Host, 14)}", v.Value, Flagged: flagged.Contains(v.Rank)))
                .ToList();
            var limit = c.Better == Better.Higher ? c.Median * (1 - fleet.Threshold) : c.Median * (1 + fleet.Threshold);
            var unit = SafeText.Bounded(c.Unit, 12);
            var caption = $"{SafeText.Bounded(c.Name, 40)} of each rank's device ({unit}; {(c.Better == Better.Higher ? "higher" : "lower")} is better). "
                + $"Fleet median {c.Median:0.###} {unit}, MAD {c.Mad:0.###} {unit}; red bars are more than {fleet.Threshold:P0} worse than the median"
                + (flagged.Count == 0 ? " (none here)." : $": rank(s) {string.Join(", ", flagged.Order())}.");
            yield return new BarChart($"fleet-{index++}-{SafeText.Slug(c.Name)}", $"Fleet: {SafeText.Bounded(c.Name, 40)} per device", caption,
                "Rank / host", $"{SafeText.Bounded(c.Name, 30)} ({unit})", bars,
                [new RefLine($"median {c.Median:0.##}", c.Median, Vertical: false), new RefLine($"threshold {limit:0.##}", limit, Vertical: false)]);
        }
    }
}
