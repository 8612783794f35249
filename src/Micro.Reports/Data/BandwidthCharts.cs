using Micro.Core;
using Micro.Core.Results;
using Micro.Core.Statistics;
using Micro.Reports.Text;

namespace Micro.Reports.Data;

/// <summary>Memory suite: bandwidth vs array size, one line per kernel and backend, one chart per device, with the L2/LLC size marked.</summary>
public static class BandwidthCharts
{
    public const int MaxCharts = 8;

    public static IEnumerable<Chart> Build(ReportInput input)
    {
        var memory = input.Records.Where(r => r.Suite == "memory" && RecordFields.Bandwidth(r) is not null && RecordFields.ArrayBytes(r) is not null).ToList();
        var index = 0;
        foreach (var device in memory.GroupBy(r => r.Device).OrderBy(g => g.Key, StringComparer.Ordinal).Take(MaxCharts))
        {
            var ranks = device.Select(r => r.Rank).Distinct().Count();
            var series = device
                .GroupBy(r => (r.Case, r.Backend, r.DType))
                .OrderBy(g => g.Key.Backend, StringComparer.Ordinal).ThenBy(g => g.Key.DType, StringComparer.Ordinal).ThenBy(g => g.Key.Case, StringComparer.Ordinal)
                .Select(g => new ChartSeries(
                    $"{SafeText.Bounded(g.Key.Case, 24)} {SafeText.Bounded(g.Key.DType, 8)} ({SafeText.Bounded(g.Key.Backend, 24)})",
                    // Several ranks (a fleet) or repeated runs: the median at each size.
                    g.GroupBy(r => RecordFields.ArrayBytes(r)!.Value)
                     .OrderBy(s => s.Key)
                     .Select(s => new ChartPoint(s.Key, Stats.Median(s.Select(r => RecordFields.Bandwidth(r)!.Value).ToArray())))
                     .ToList()))
                .ToList();
            var lines = CacheLines(input, device.Key, device).ToList();
            var caption = $"Median GB/s (1e9 B/s) of each kernel at each array size on {SafeText.Bounded(device.Key, 60)}; bytes counted as each record states (e.g. triad 3 arrays)."
                + (ranks > 1 ? $" Median over {ranks} ranks." : "")
                + (lines.Count == 0 ? " Cache size unknown for this device." : " Vertical line: last-level cache size; points left of it measure the cache, not memory.");
            yield return new LineChart($"bandwidth-{index++}-{SafeText.Slug(device.Key)}", $"Memory bandwidth vs array size: {SafeText.Bounded(device.Key, 48)}{RecordFields.EmulatorSuffix(device)}", caption,
                new Axis("Array size (bytes, log2)", AxisScale.Log2, AxisFormat.Bytes), new Axis("Bandwidth (GB/s)"), series, lines);
        }
    }

    /// <summary>The L2 (GPU) or LLC (host) size of a device, from the run context or from the records' own parameters.</summary>
    private static IEnumerable<RefLine> CacheLines(ReportInput input, string device, IEnumerable<MeasurementRecord> records)
    {
        var fromContext = input.Ceilings?.Context.Devices.FirstOrDefault(d => d.Name == device && d.LastLevelCacheBytes is > 0)?.LastLevelCacheBytes;
        var fromRecords = records.Select(r => (double?)r.Stream?.LlcBytes).FirstOrDefault(v => v is > 0);
        var bytes = (double?)fromContext ?? fromRecords;
        if (bytes is { } b) yield return new RefLine($"LLC {Units.FormatBytes(b)}", b, Vertical: true);
    }
}
