using Micro.Core.Ceilings;
using Micro.Core.Results;
using Micro.Reports.Text;

namespace Micro.Reports.Data;

/// <summary>
/// Roofline per device: attainable TFLOP/s = min(compute ceiling, intensity x memory bandwidth), with measured
/// ceilings (ceilings.json, else the best record) and measured points placed at intensity = flops / bytes.
/// </summary>
public static class RooflineCharts
{
    public const int MaxCharts = 4;

    /// <summary>BabelStream flops per element for the kernels that compute (copy does none and has no place on a roofline).</summary>
    private static readonly Dictionary<string, double> StreamFlopsPerElement = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mul"] = 1, ["scale"] = 1, ["add"] = 1, ["triad"] = 2, ["dot"] = 2, ["nstream"] = 3, ["read"] = 1,
    };

    public static IEnumerable<Chart> Build(ReportInput input)
    {
        var index = 0;
        foreach (var device in input.Records.GroupBy(r => r.Device).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (index >= MaxCharts) yield break;
            var bw = BandwidthCeiling(input, device.Key, device);
            var roofs = ComputeCeilings(input, device.Key, device);
            var points = Points(device).ToList();
            // Without a compute ceiling there is no roof, only the memory slope: not worth a chart.
            if (bw is null || roofs.Count == 0) continue;

            var xs = points.SelectMany(s => s.Points.Select(p => p.X)).Concat(roofs.Select(r => r.Tflops * 1000 / bw.Value.GBps)).ToList();
            if (xs.Count == 0) continue;
            var (xmin, xmax) = (xs.Min() / 4, xs.Max() * 4);
            var series = new List<ChartSeries>();
            foreach (var roof in roofs)
            {
                var ridge = roof.Tflops * 1000 / bw.Value.GBps;
                series.Add(new ChartSeries($"{SafeText.Bounded(roof.Name, 24)} {roof.Tflops:0.##} TFLOP/s, memory {bw.Value.GBps:0.#} GB/s",
                    [new(xmin, xmin * bw.Value.GBps / 1000), new(ridge, roof.Tflops), new(xmax, roof.Tflops)], Markers: false));
            }
            series.AddRange(points);
            var caption = $"Roofline of {SafeText.Bounded(device.Key, 60)}: memory ceiling {bw.Value.GBps:0.#} GB/s ({bw.Value.Source})"
                + ", compute ceilings " + string.Join(", ", roofs.Select(r => $"{SafeText.Bounded(r.Name, 24)} {r.Tflops:0.##} TFLOP/s ({r.Source})"))
                + ". Points: measured TFLOP/s at arithmetic intensity = counted flops / counted bytes of each record (stream kernels at their largest array).";
            yield return new LineChart($"roofline-{index++}-{SafeText.Slug(device.Key)}", $"Roofline: {SafeText.Bounded(device.Key, 48)}", caption,
                new Axis("Arithmetic intensity (FLOP/byte, log10)", AxisScale.Log10), new Axis("Performance (TFLOP/s, log10)", AxisScale.Log10), series, []);
        }
    }

    public sealed record Roof(string Name, double Tflops, string Source);

    public static (double GBps, string Source)? BandwidthCeiling(ReportInput input, string device, IEnumerable<MeasurementRecord> records)
    {
        var profile = input.Ceilings?.Devices.Where(d => d.Device == device).ToList() ?? [];
        foreach (var name in new[] { CeilingNames.MemoryBandwidth, CeilingNames.HostMemoryBandwidth, CeilingNames.D2D })
        {
            var values = profile.Select(d => d.Find(name)).Where(c => c is not null && c.Value > 0 && double.IsFinite(c.Value)).Select(c => c!.Value).ToList();
            if (values.Count > 0) return (values.Max(), "ceilings.json " + name);
        }
        // No profile: the suite's own ceiling candidates, else each kernel at its largest array (in-cache points would overstate memory).
        var memory = records.Where(r => r.Suite == "memory" && r.Verification.Passed && RecordFields.Bandwidth(r) is not null).ToList();
        var candidates = memory.Where(r => r.Ceiling is CeilingNames.MemoryBandwidth or CeilingNames.HostMemoryBandwidth).ToList();
        if (candidates.Count == 0)
            candidates = memory.GroupBy(r => (r.Case, r.Backend)).Select(g => g.MaxBy(r => RecordFields.ArrayBytes(r) ?? r.Bytes)!).ToList();
        return candidates.Count > 0 ? (candidates.Max(r => RecordFields.Bandwidth(r)!.Value), "best memory record at its largest size") : null;
    }

    public static IReadOnlyList<Roof> ComputeCeilings(ReportInput input, string device, IEnumerable<MeasurementRecord> records)
    {
        var roofs = new List<Roof>();
        var profile = input.Ceilings?.Devices.Where(d => d.Device == device).ToList() ?? [];
        foreach (var c in profile.SelectMany(d => d.Ceilings).Where(c => c.Name.StartsWith("gemm", StringComparison.Ordinal) && c.Value > 0 && double.IsFinite(c.Value)).GroupBy(c => c.Name))
            roofs.Add(new Roof(c.Key, c.Max(x => x.Value), "ceilings.json"));
        if (roofs.Count > 0) return roofs;
        foreach (var g in records.Where(r => r.Suite == "gemm" && r.Verification.Passed && RecordFields.Compute(r) is not null).GroupBy(r => r.DType))
            roofs.Add(new Roof("gemm " + (g.Key.Length > 0 ? g.Key : "?"), g.Max(r => RecordFields.Compute(r)!.Value), "best gemm record"));
        return roofs;
    }

    private static IEnumerable<ChartSeries> Points(IEnumerable<MeasurementRecord> records)
    {
        var placed = new List<(string Label, ChartPoint P)>();
        foreach (var r in records.Where(r => r.Time.Median > 0 && double.IsFinite(r.Time.Median)))
        {
            if (r.Suite is "attention" or "gemm" && r.Flops > 0 && r.Bytes > 0)
                placed.Add(($"{r.Suite} ({SafeText.Bounded(r.Backend, 16)})", new ChartPoint(r.Flops / r.Bytes, r.Flops / r.Time.Median / 1e12)));
        }
        // Stream kernels: one point per kernel and backend, at the largest array (past the caches).
        foreach (var g in records.Where(r => r.Suite == "memory" && r.Bytes > 0).GroupBy(r => (r.Case, r.Backend, r.DType)))
        {
            var r = g.MaxBy(x => RecordFields.ArrayBytes(x) ?? x.Bytes)!;
            var flops = r.Flops > 0 ? r.Flops
                : StreamFlopsPerElement.TryGetValue(r.Case, out var f) && RecordFields.Elements(r) is { } n ? f * n : 0;
            if (flops > 0 && r.Time.Median > 0)
                placed.Add(($"stream ({SafeText.Bounded(r.Backend, 16)})", new ChartPoint(flops / r.Bytes, flops / r.Time.Median / 1e12)));
        }
        return placed.Where(p => p.P.X > 0 && p.P.Y > 0 && double.IsFinite(p.P.X) && double.IsFinite(p.P.Y))
            .GroupBy(p => p.Label).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ChartSeries(g.Key, g.Select(p => p.P).ToList(), Line: false));
    }
}
