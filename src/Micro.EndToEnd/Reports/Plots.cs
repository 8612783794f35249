using Micro.EndToEnd.Analysis;
using ScottPlot;

namespace Micro.EndToEnd.Reports;

/// <summary>The report's four figures, as ScottPlot plots (rendered to PNG files and inline SVG).</summary>
public static class Plots
{
    public const int Width = 900, Height = 540;

    public static IReadOnlyList<(string Name, string Title, Plot Plot)> All(AnalysisResult r) =>
    [
        ("pareto", "Pareto frontier: throughput per GPU vs tokens/s per user", ParetoPlot(r)),
        ("latency", "Latency percentiles vs concurrency", LatencyPlot(r)),
        ("sol", "Fraction of decode speed of light vs concurrency", SolPlot(r)),
        ("cost", "Cost per 1M tokens vs concurrency", CostPlot(r)),
    ];

    private static double[] Conc(AnalysisResult r) => r.Points.Select(p => Math.Log2(Math.Max(p.Concurrency ?? 1, 1e-9))).ToArray();

    /// <summary>Concurrency sweeps read best on a log2 axis: plot log2(c) and label ticks with c.</summary>
    private static void Log2Bottom(Plot plt, AnalysisResult r)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var p in r.Points.Where(p => p.Concurrency is > 0).DistinctBy(p => p.Concurrency))
            ticks.AddMajor(Math.Log2(p.Concurrency!.Value), Fmt.Conc(p.Concurrency));
        plt.Axes.Bottom.TickGenerator = ticks;
        plt.XLabel("concurrency (log2 axis)");
    }

    private static Plot ParetoPlot(AnalysisResult r)
    {
        var plt = new Plot();
        var pts = r.Points;
        var x = pts.Select(p => p.PerUserTokensPerSecond ?? double.NaN).ToArray();
        var y = pts.Select(p => p.OutputThroughputPerGpu).ToArray();
        foreach (var slo in r.Slos.Select(Metrics.SloSpec.Parse).Where(s => s.Metric is "tpot" or "itl"))
        {
            var finite = x.Where(double.IsFinite).DefaultIfEmpty(1).ToArray();
            var span = plt.Add.HorizontalSpan(1000 / slo.ThresholdMs, Math.Max(finite.Max() * 1.1, 1000 / slo.ThresholdMs * 1.2));
            span.FillStyle.Color = Colors.Green.WithAlpha(0.12);
            span.LineStyle.Width = 0;
            span.LegendText = $"SLO region ({slo.Text} as per-user tok/s >= {Fmt.N(1000 / slo.ThresholdMs, 1)})";
        }
        var front = r.Pareto.ThroughputPerGpuVsPerUser;
        if (front.Count > 0)
        {
            var line = plt.Add.ScatterLine(front.Select(i => x[i]).ToArray(), front.Select(i => y[i]).ToArray());
            line.LegendText = "Pareto frontier";
            line.Color = Colors.Gray;
        }
        AddGroup(plt, pts, x, y, p => p.MeetsSlo == true, Colors.Green, "meets SLO");
        AddGroup(plt, pts, x, y, p => p.MeetsSlo == false, Colors.Red, "misses SLO");
        AddGroup(plt, pts, x, y, p => p.MeetsSlo is null, Colors.Blue, r.Slos.Count == 0 ? "measured point" : "SLO not judged");
        for (var i = 0; i < pts.Count; i++)
            if (double.IsFinite(x[i])) plt.Add.Text("c=" + Fmt.Conc(pts[i].Concurrency), x[i], y[i]).LabelFontSize = 11;
        plt.XLabel("output tokens/s per user (1000 / mean TPOT)");
        plt.YLabel("output tokens/s per GPU");
        plt.Title("Throughput per GPU vs interactivity");
        // The frontier runs from upper left to lower right: the upper right corner is free for the legend.
        plt.ShowLegend(Alignment.UpperRight);
        return plt;
    }

    private static void AddGroup(Plot plt, IReadOnlyList<PointAnalysis> pts, double[] x, double[] y, Func<PointAnalysis, bool> pick, Color color, string label)
    {
        var idx = Enumerable.Range(0, pts.Count).Where(i => pick(pts[i]) && double.IsFinite(x[i])).ToArray();
        if (idx.Length == 0) return;
        var s = plt.Add.ScatterPoints(idx.Select(i => x[i]).ToArray(), idx.Select(i => y[i]).ToArray());
        s.Color = color;
        s.MarkerSize = 9;
        s.LegendText = label;
    }

    private static Plot LatencyPlot(AnalysisResult r)
    {
        var plt = new Plot();
        var xs = Conc(r);
        (string Stat, string Metric, Color Color)[] series =
        [
            ("median", "tpot", Colors.Blue), ("p99", "tpot", Colors.Navy), ("median", "itl", Colors.Orange), ("p99", "itl", Colors.OrangeRed),
        ];
        foreach (var (stat, metric, color) in series)
        {
            var ys = r.Points.Select(p => p.Latency(stat, metric) ?? double.NaN).ToArray();
            if (ys.All(double.IsNaN)) continue;
            var s = plt.Add.Scatter(xs, ys);
            s.Color = color;
            s.LegendText = $"{stat} {metric.ToUpperInvariant()} (ms)";
        }
        foreach (var slo in r.Slos.Select(Metrics.SloSpec.Parse).Where(s => s.Metric is "tpot" or "itl"))
        {
            var l = plt.Add.HorizontalLine(slo.ThresholdMs);
            l.Color = Colors.Green;
            l.LinePattern = LinePattern.Dashed;
            l.LegendText = "SLO " + slo.Text;
        }
        Log2Bottom(plt, r);
        plt.YLabel("ms");
        plt.Title("TPOT and ITL percentiles vs concurrency");
        plt.ShowLegend(Alignment.UpperLeft);
        return plt;
    }

    private static Plot SolPlot(AnalysisResult r)
    {
        var plt = new Plot();
        var ys = r.Points.Select(p => (p.SolFraction ?? double.NaN) * 100).ToArray();
        if (ys.Any(double.IsFinite))
        {
            var s = plt.Add.Scatter(Conc(r), ys);
            s.LegendText = "measured output tok/s / decode speed of light";
            plt.ShowLegend(Alignment.UpperLeft);
        }
        else plt.Add.Annotation("no --model and hardware given: speed of light not computed");
        Log2Bottom(plt, r);
        plt.YLabel("% of decode speed of light");
        plt.Title("%SoL vs concurrency" + (r.SpeedOfLight is { } sol ? $" ({sol.Hardware}, {sol.HardwareLabel})" : ""));
        return plt;
    }

    private static Plot CostPlot(AnalysisResult r)
    {
        var plt = new Plot();
        var xs = Conc(r);
        var o = plt.Add.Scatter(xs, r.Points.Select(p => p.CostPer1MOutputTokens ?? double.NaN).ToArray());
        o.LegendText = "$ per 1M output tokens";
        var t = plt.Add.Scatter(xs, r.Points.Select(p => p.CostPer1MTotalTokens ?? double.NaN).ToArray());
        t.LegendText = "$ per 1M total tokens";
        Log2Bottom(plt, r);
        plt.YLabel("USD");
        plt.Title($"Cost per 1M tokens ({r.Gpus} GPUs x {Fmt.Usd(r.GpuHourPrice)}/GPU-h)");
        plt.ShowLegend(Alignment.UpperRight);
        return plt;
    }
}
