using Micro.Core.Results;
using Micro.Core.Statistics;
using Micro.Reports.Text;

namespace Micro.Reports.Data;

/// <summary>Collectives: bus bandwidth vs message size, one line per op (and backend, rank count).</summary>
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
        var derived = points.Any(p => p.Bus!.Value.Derived);
        var series = points
            .GroupBy(p => (Op: Op(p.Record), p.Record.Backend, N: RecordFields.Ranks(p.Record)))
            .OrderBy(g => g.Key.Op, StringComparer.Ordinal).ThenBy(g => g.Key.Backend, StringComparer.Ordinal)
            .Select(g => new ChartSeries(
                $"{SafeText.Bounded(g.Key.Op, 20)} ({SafeText.Bounded(g.Key.Backend, 16)}{(g.Key.N is { } n ? $", {n:0} ranks" : "")})",
                g.GroupBy(p => p.Size!.Value).OrderBy(s => s.Key)
                 .Select(s => new ChartPoint(s.Key, Stats.Median(s.Select(p => p.Bus!.Value.GBps).ToArray()))).ToList()))
            .ToList();
        yield return new LineChart("busbw", "Collective bus bandwidth vs message size", 
            "busbw = algbw x the nccl-tests factor of the op (allreduce 2(n-1)/n; allgather, reducescatter, alltoall (n-1)/n; broadcast, reduce, sendrecv 1), median over repeats, GB/s = 1e9 B/s."
            + (derived ? " Some points carried only algbw; their busbw was derived with that factor." : ""),
            new Axis("Message size (bytes, log2)", AxisScale.Log2, AxisFormat.Bytes), new Axis("Bus bandwidth (GB/s)"), series, []);
    }

    public static string Op(MeasurementRecord r) => r.Collective?.Op ?? r.Case;

    /// <summary>busbw as recorded; else algbw (the record's bandwidth) times the op's factor when the rank count is known.</summary>
    public static (double GBps, bool Derived)? BusBandwidth(MeasurementRecord r)
    {
        if (RecordFields.Number(r, "busbw_gbps", "busbw", "bus_bandwidth_gbps", "bus_bw") is { } b && b > 0) return (b, false);
        var alg = RecordFields.Number(r, "algbw_gbps", "algbw") ?? RecordFields.Bandwidth(r);
        var n = RecordFields.Ranks(r);
        if (alg is null || n is not >= 1) return null;
        return BusFactor(Op(r), n.Value) is { } f ? (alg.Value * f, true) : null;
    }

    public static double? BusFactor(string op, double n)
    {
        var o = op.ToLowerInvariant().Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (o.Contains("allreduce", StringComparison.Ordinal)) return 2 * (n - 1) / n;
        if (o.Contains("allgather", StringComparison.Ordinal) || o.Contains("reducescatter", StringComparison.Ordinal) || o.Contains("alltoall", StringComparison.Ordinal)) return (n - 1) / n;
        if (o.Contains("broadcast", StringComparison.Ordinal) || o.Contains("reduce", StringComparison.Ordinal) || o.Contains("sendrecv", StringComparison.Ordinal) || o.Contains("bcast", StringComparison.Ordinal)) return 1;
        return null;
    }
}
