using Micro.Reports.Text;

namespace Micro.Reports.Data;

/// <summary>Launch suite: median time per case and backend in microseconds, with the min..max range.</summary>
public static class LaunchCharts
{
    public const int MaxBars = 40;

    public static IEnumerable<Chart> Build(ReportInput input)
    {
        var launch = input.Records.Where(r => r.Suite == "launch" && r.Time.Median > 0 && double.IsFinite(r.Time.Median)).ToList();
        if (launch.Count == 0) yield break;
        var devices = launch.Select(r => r.Device).Distinct().Count();
        var bars = launch
            .GroupBy(r => (r.Case, r.Backend, r.Device))
            .OrderBy(g => g.Key.Device, StringComparer.Ordinal).ThenBy(g => g.Key.Backend, StringComparer.Ordinal).ThenBy(g => g.Key.Case, StringComparer.Ordinal)
            .Take(MaxBars)
            .Select(g =>
            {
                var r = g.MinBy(x => x.Time.Median)!;
                var label = $"{SafeText.Bounded(g.Key.Case, 20)}\n{SafeText.Bounded(g.Key.Backend, 16)}" + (devices > 1 ? $"\n{SafeText.Bounded(g.Key.Device, 16)}" : "");
                return new ChartBar(label, r.Time.Median * 1e6, r.Time.Min * 1e6, r.Time.Max * 1e6);
            })
            .ToList();
        yield return new BarChart("launch", "Launch latency", "Median time per launch in microseconds (lower is better); whiskers span min..max of the timed iterations.",
            devices > 1 ? "Case / backend / device" : "Case / backend", "Time per launch (us)", bars, []);
    }
}
