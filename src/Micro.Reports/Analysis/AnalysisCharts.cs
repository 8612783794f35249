using Micro.EndToEnd.Analysis;
using Micro.EndToEnd.Cost;
using Micro.EndToEnd.Metrics;
using Micro.Reports.Data;
using Micro.Reports.Sections;
using Micro.Reports.Text;

namespace Micro.Reports.Analysis;

/// <summary>The analysis report's figures as chart models (drawn by the one ChartRenderer): pareto, latency, ttft, sol, cost.</summary>
public static class AnalysisCharts
{
    public static readonly SeriesStyle MedianTpot = new("#1f77b4");
    public static readonly SeriesStyle P99Tpot = new("#d62728", Dashed: true);
    public static readonly SeriesStyle MedianItl = new("#ff7f0e");
    public static readonly SeriesStyle P99Itl = new("#9467bd", Dashed: true);
    private static readonly SeriesStyle Frontier = new("#7f7f7f");
    private static readonly SeriesStyle Meets = new("#2ca02c");
    private static readonly SeriesStyle Misses = new("#d62728");
    private static readonly SeriesStyle NotJudged = new("#1f77b4");

    public static readonly IReadOnlyList<ChartProvider<AnalysisView>> Providers =
    [
        new("pareto", v => Maybe(Pareto(v)), v => Maybe(Pareto(v) is null ? "pareto.png not drawn: no point states the TPOT statistic of its axis." : null)),
        new("latency", v => Maybe(Latency(v)), v => Maybe(Latency(v) is null ? "latency.png not drawn: no point has a concurrency and TPOT or ITL percentiles." : null)),
        new("ttft", v => Maybe(Ttft(v)), v => Maybe(Ttft(v) is null ? "ttft.png not drawn: no point has a concurrency and a TTFT percentile." : null)),
        new("sol", v => Maybe(Sol(v)), v => Maybe(Sol(v) is null ? SolSkipped : null)),
        new("cost", v => Maybe(Cost(v))),
    ];

    public const string SolSkipped = "sol.png not drawn: speed of light was not computed (give --model config.json with --gpu NAME or --ceilings FILE).";

    private static IEnumerable<T> Maybe<T>(T? x) where T : class => x is null ? [] : [x];

    /// <summary>
    /// The Pareto frontier of throughput per GPU against tokens/s per user. The X axis is 1000 / TPOT in the statistic
    /// of the first TPOT SLO (mean without one), so an SLO region is drawn only where its statistic is the axis's own:
    /// a point inside the region meets that objective.
    /// </summary>
    public static LineChart? Pareto(AnalysisView v)
    {
        var r = v.Result;
        var slos = r.Slos.Select(SloSpec.Parse).ToList();
        var stat = slos.FirstOrDefault(s => s.Metric == "tpot")?.Stat ?? "mean";
        var pts = v.Points.ToList();
        var x = pts.Select(p => PerUser(p, stat)).ToArray();
        var y = pts.Select(p => p.OutputThroughputPerGpu).ToArray();
        if (!x.Any(double.IsFinite)) return null;
        var series = new List<ChartSeries>();
        var front = EndToEnd.Cost.Pareto.Frontier(x.Zip(y).ToList());
        if (front.Count > 0)
            series.Add(new ChartSeries("Pareto frontier", front.Select(i => new ChartPoint(x[i], y[i])).ToList(), Markers: false, Style: Frontier));
        void Group(Func<PointAnalysis, bool> pick, SeriesStyle style, string label)
        {
            var idx = Enumerable.Range(0, pts.Count).Where(i => pick(pts[i]) && double.IsFinite(x[i])).ToList();
            if (idx.Count == 0) return;
            series.Add(new ChartSeries(label, idx.Select(i => new ChartPoint(x[i], y[i])).ToList(), Line: false, Style: style,
                PointLabels: idx.Select(i => "c=" + Fmt.Conc(pts[i].Concurrency)).ToList()));
        }
        Group(p => p.MeetsSlo == true, Meets, "meets SLO");
        Group(p => p.MeetsSlo == false, Misses, "misses SLO");
        Group(p => p.MeetsSlo is null, NotJudged, r.Slos.Count == 0 ? "measured point" : "SLO not judged");
        var regions = slos.Where(s => s.Metric == "tpot" && s.Stat == stat)
            .Select(s => new ChartRegion($"SLO region ({s.Text}: 1000 / {stat} TPOT >= {Fmt.N(1000 / s.ThresholdMs, 1)})", 1000 / s.ThresholdMs, double.PositiveInfinity))
            .ToList();
        var notDrawn = slos.Where(s => s.Metric is "tpot" or "itl" && !(s.Metric == "tpot" && s.Stat == stat)).Select(s => s.Text).ToList();
        var caption = $"Output tokens/s per GPU against tokens/s per user, the user's view taken as 1000 / {stat} TPOT (ms); grey: the Pareto frontier of the points shown."
            + (regions.Count > 0 ? $" Shaded: where the {stat} TPOT objective is met." : "")
            + (notDrawn.Count > 0 ? $" Not drawn as a region (another statistic or metric than the axis): {string.Join(", ", notDrawn)}." : "")
            + " Colours judge every SLO.";
        return new LineChart("pareto", "Pareto frontier: throughput per GPU vs tokens/s per user", caption,
            new Axis($"output tokens/s per user (1000 / {stat} TPOT)"), new Axis("output tokens/s per GPU"), series, [], regions);
    }

    private static double PerUser(PointAnalysis p, string stat)
    {
        if (stat == "mean" && p.PerUserTokensPerSecond is { } u) return u;
        return p.Latency(stat, "tpot") is > 0 and { } t ? 1000 / t : double.NaN;
    }

    private static Axis Concurrency => new("concurrency (log2 axis)", AxisScale.Log2);

    private static List<ChartPoint> ByConcurrency(AnalysisView v, Func<PointAnalysis, double?> y) =>
        v.Points.Where(p => p.Concurrency is > 0 && y(p) is { } value && double.IsFinite(value))
            .OrderBy(p => p.Concurrency).Select(p => new ChartPoint(p.Concurrency!.Value, y(p)!.Value)).ToList();

    public static LineChart? Latency(AnalysisView v)
    {
        (string Stat, string Metric, SeriesStyle Style)[] wanted =
            [("median", "tpot", MedianTpot), ("p99", "tpot", P99Tpot), ("median", "itl", MedianItl), ("p99", "itl", P99Itl)];
        var series = wanted.Select(w => new ChartSeries($"{w.Stat} {w.Metric.ToUpperInvariant()} (ms)", ByConcurrency(v, p => p.Latency(w.Stat, w.Metric)), Style: w.Style))
            .Where(s => s.Points.Count > 0).ToList();
        if (series.Count == 0) return null;
        var lines = v.Result.Slos.Select(SloSpec.Parse).Where(s => s.Metric is "tpot" or "itl")
            .Select(s => new RefLine("SLO " + s.Text, s.ThresholdMs, Vertical: false)).ToList();
        return new LineChart("latency", "Latency percentiles vs concurrency",
            "Median (solid) and p99 (dashed) TPOT and ITL in ms at each concurrency; dashed grey: the SLO thresholds.",
            Concurrency, new Axis("ms"), series, lines);
    }

    public static readonly SeriesStyle MedianTtft = new("#1f77b4");
    public static readonly SeriesStyle P99Ttft = new("#ff7f0e", Dashed: true);

    /// <summary>
    /// TTFT against concurrency (median and p99, log axes: TTFT spans orders of magnitude once requests queue), each
    /// point marked green where the point meets every SLO and red where it misses one, with the TTFT SLOs drawn.
    /// </summary>
    public static LineChart? Ttft(AnalysisView v)
    {
        (string Stat, SeriesStyle Style)[] wanted = [("median", MedianTtft), ("p99", P99Ttft)];
        var series = wanted.Select(w => new ChartSeries($"{w.Stat} TTFT (ms)", ByConcurrency(v, p => p.Latency(w.Stat, "ttft")), Style: w.Style))
            .Where(s => s.Points.Count > 0).ToList();
        if (series.Count == 0) return null;
        var slos = v.Result.Slos.Select(SloSpec.Parse).ToList();
        var marked = slos.FirstOrDefault(s => s.Metric == "ttft")?.Stat is { } st && v.Points.Any(p => p.Latency(st, "ttft") is not null) ? st : "median";
        ChartSeries Marks(bool meets) => new(meets ? "meets every SLO" : "misses an SLO",
            ByConcurrency(v, p => p.MeetsSlo == meets ? p.Latency(marked, "ttft") : null), Line: false, Style: meets ? Meets : Misses,
            PointLabels: v.Points.Where(p => p.Concurrency is > 0 && p.MeetsSlo == meets && p.Latency(marked, "ttft") is { } t && double.IsFinite(t))
                .OrderBy(p => p.Concurrency).Select(p => "c=" + Fmt.Conc(p.Concurrency)).ToList());
        if (slos.Count > 0) series.AddRange(new[] { Marks(true), Marks(false) }.Where(s => s.Points.Count > 0));
        var lines = slos.Where(s => s.Metric == "ttft").Select(s => new RefLine("SLO " + s.Text, s.ThresholdMs, Vertical: false)).ToList();
        var caption = "Median (solid) and p99 (dashed) time to first token at each concurrency; both axes logarithmic."
            + (slos.Count > 0 ? $" Markers on the {marked} TTFT: green where the point meets every SLO ({string.Join(", ", slos.Select(s => s.Text))}), red where it misses one." : " No --slo given, so no point is judged.")
            + (lines.Count > 0 ? " Dashed grey: the TTFT SLO thresholds." : "");
        return new LineChart("ttft", "Time to first token vs concurrency", caption, Concurrency, new Axis("TTFT (ms, log10)", AxisScale.Log10), series, lines);
    }

    public static LineChart? Sol(AnalysisView v)
    {
        var points = ByConcurrency(v, p => p.SolFraction * 100);
        if (points.Count == 0 || v.Result.SpeedOfLight is not { } sol) return null;
        return new LineChart("sol", "Fraction of decode speed of light vs concurrency",
            $"Measured output tokens/s over the decode speed of light on {SafeText.Bounded(sol.Hardware, 60)} ({SafeText.Bounded(sol.HardwareLabel, 40)}).",
            Concurrency, new Axis("% of decode speed of light"), [new ChartSeries("measured output tok/s / decode speed of light", points)], []);
    }

    public static LineChart? Cost(AnalysisView v)
    {
        var r = v.Result;
        var series = new[]
        {
            new ChartSeries("$ per 1M output tokens", ByConcurrency(v, p => p.CostPer1MOutputTokens)),
            new ChartSeries("$ per 1M total tokens", ByConcurrency(v, p => p.CostPer1MTotalTokens)),
        }.Where(s => s.Points.Count > 0).ToList();
        if (series.Count == 0) return null;
        return new LineChart("cost", "Cost per 1M tokens vs concurrency",
            $"{r.Gpus} GPUs x {Fmt.Usd(r.GpuHourPrice)}/GPU-h ({SafeText.Bounded(r.PriceSource, 80)}); log axis: the cheap points at high concurrency are the ones that matter.",
            Concurrency, new Axis("USD per 1M tokens (log10)", AxisScale.Log10), series, []);
    }
}
