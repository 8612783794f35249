using Micro.Core.Results;
using Micro.Core.Statistics;
using Micro.Reports.Text;

namespace Micro.Reports.Data;

/// <summary>
/// Collectives: bus bandwidth vs message size, one line per op, backend, rank count and placement (out-of-place /
/// in-place, as nccl-tests prints them). busbw is never recomputed here: both writers of collective records put busbw in
/// the record's bandwidth (the suite from algbw x CollectiveTable's factor, the log import as the log printed it).
/// </summary>
public static class CollectiveCharts
{
    public static IEnumerable<Chart> Build(ReportInput input)
    {
        var points = input.Records
            .Where(r => r.Suite == "collectives")
            .Select(r => (Record: r, Size: RecordFields.MessageBytes(r), Bus: BusBandwidth(r)))
            .Where(p => p.Size is not null && p.Bus is not null)
            .ToList();
        if (points.Count == 0) yield break;
        var placements = points.Select(p => InPlace(p.Record)).Distinct().Count();
        var series = points
            .GroupBy(p => (Op: Op(p.Record), p.Record.Backend, N: RecordFields.Ranks(p.Record), InPlace: InPlace(p.Record)))
            .OrderBy(g => g.Key.Op, StringComparer.Ordinal).ThenBy(g => g.Key.Backend, StringComparer.Ordinal).ThenBy(g => g.Key.InPlace)
            .Select(g => new ChartSeries(
                $"{SafeText.Bounded(g.Key.Op, 20)} ({SafeText.Bounded(g.Key.Backend, 16)}{(g.Key.N is { } n ? $", {n:0} ranks" : "")})"
                + (placements > 1 ? g.Key.InPlace ? " in-place" : " out-of-place" : ""),
                g.GroupBy(p => p.Size!.Value).OrderBy(s => s.Key)
                 .Select(s => new ChartPoint(s.Key, Stats.Median(s.Select(p => p.Bus!.Value).ToArray()))).ToList()))
            .ToList();
        yield return new LineChart("busbw", "Collective bus bandwidth vs message size",
            "busbw = algbw x the nccl-tests factor of the op (all_reduce 2(n-1)/n; all_gather, reduce_scatter, alltoall (n-1)/n; broadcast, reduce, sendrecv 1), "
            + "as the suite measured it or as an imported log printed it; median over repeats, GB/s = 1e9 B/s.",
            new Axis("Message size (bytes, log2)", AxisScale.Log2, AxisFormat.Bytes), new Axis("Bus bandwidth (GB/s)"), series, []);
    }

    public static string Op(MeasurementRecord r) => r.Collective?.Op ?? r.Case;

    private static bool InPlace(MeasurementRecord r) => r.Collective?.InPlace ?? false;

    /// <summary>The point's busbw in GB/s: the record's bandwidth, which every collective record carries as busbw.</summary>
    public static double? BusBandwidth(MeasurementRecord r) => RecordFields.Bandwidth(r);
}
