using System.Globalization;
using Micro.EndToEnd.Prediction;
using Micro.Reports.Data;
using Micro.Reports.Sections;
using Micro.Reports.Writers;

namespace Micro.Reports.Prediction;

/// <summary>`micro predict --out DIR`'s report on the one report stack: sections of tables, chart providers for the sweeps.</summary>
public static class PredictionReport
{
    public static readonly ReportDefinition<PredictionResult> Definition = new("micro predict",
        [
            new ChartProvider<PredictionResult>("prediction", Charts, r => r.Check is null && r.Search is null && r.Points.Count < 2 ? ["no chart: one point, no --check and no --search"] : []),
            new ChartProvider<PredictionResult>("plan", r => r.Plan is { } p ? [Traffic.PlanOutput.CostVsP95(p)] : []),
        ],
        [
            new("summary", ctx => [new Paragraph($"{ctx.Input.Model.Setup.Model.Name} on {ctx.Input.Model.Setup.Device.Hardware.Name} ({ctx.Input.Model.Setup.Device.Hardware.Label}). Every figure below is a prediction of the step-time model and the serving simulation, not a measurement.")]),
            new("sources", ctx => [new Heading("Where every figure comes from"), new Table(["source"], ctx.Input.Sources.Select(s => (IReadOnlyList<string>)[s]).ToList())]),
            new("points", ctx => [new Heading("Predicted points"), Points(ctx.Input)]),
            new("ttft", ctx => [new Heading("Where TTFT goes"), TtftParts(ctx.Input)]),
            new("parameters", ctx => [new Heading("Parameters on this profile"), Carried(ctx.Input)]),
            new("calibration", ctx => ctx.Input.Calibration is null ? [] :
                [new Heading("Calibration"), new Paragraph(ctx.Input.ModelIdCheck), Calibration(ctx.Input)!, Deployments(ctx.Input.Calibration.Deployments), Comparisons(ctx.Input.Calibration.Residuals, "Residuals on the calibration runs (fitted on these).")]),
            new("check", ctx => ctx.Input.Check is null ? [] :
                [new Heading("Check against runs not fitted on"), CheckSummary(ctx.Input)!, Deployments(ctx.Input.Check.Deployments), Comparisons(ctx.Input.Check.Rows, "Per point and metric: the predictor's honesty table.")]),
            new("search", ctx => Search(ctx.Input) is { } t ? [new Heading("Search"), t] : []),
            new("plan", ctx => ctx.Input.Plan is not { } plan ? [] :
                [new Heading("Capacity plan"), Traffic.PlanTables.PlanReport(plan), .. plan.UsefulWork.Count > 0 ? [Traffic.PlanTables.UsefulWork(plan)] : Array.Empty<ReportBlock>()]),
            CommonSections.Figures<PredictionResult>(),
        ]);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static string N(double v, int d = 2) => double.IsFinite(v) ? v.ToString("N" + d, Inv) : "n/a";
    private static string N(double? v, int d = 2) => v is { } x ? N(x, d) : "n/a";

    /// <summary>The answer in a few columns: medians with their 90% intervals, cost, SLO (detail is in points.csv and prediction.json).</summary>
    public static Table PointsCompact(PredictionResult r) => new(
        ["load", "median TTFT ms (90%)", "median TPOT ms (90%)", "output tok/s (90%)", "$/1M out", "SLO"],
        r.Points.Select(p => (IReadOnlyList<string>)[p.Load.Label,
            $"{N(p.Sim.Stat("ttft", "median"), 0)} ({Iv(p.Intervals?.MedianTtftMs, 0)})", $"{N(p.Sim.Stat("tpot", "median"), 1)} ({Iv(p.Intervals?.MedianTpotMs, 1)})",
            $"{N(p.Sim.OutputThroughput, 0)} ({Iv(p.Intervals?.OutputThroughput, 0)})", N(p.CostPer1MOutputTokens, 3),
            p.MeetsSlo is { } ok ? (ok ? "met" : "missed") : "-"]).ToList(),
        "Predicted, not measured. 90% = the interval from the calibration's residual spread" + (r.TransferredAcross.Count > 0 ? ", widened for another " + string.Join(", ", r.TransferredAcross) : "") +
        (r.Intervals.CalibratedConcurrencies is { } cc && r.Points.Any(p => r.Intervals.LoadDoublings(p.Load.ClosedLoopConcurrency) > 0)
            ? $", and per doubling of concurrency beyond the calibrated c{cc.Min}..c{cc.Max} by {PredictionIntervals.LoadSpreadPerDoubling("median_tpot_ms"):0.##} (TTFT {PredictionIntervals.LoadSpreadPerDoubling("median_ttft_ms"):0.##})" : "") +
        (r.Intervals.Calibrated ? "" : " (uncalibrated: the prior spread)") + ".");

    /// <summary>Where each point's mean TTFT goes: front-end, waiting for the scheduler, prefill until the first token.</summary>
    public static Table TtftParts(PredictionResult r) => new(
        ["load", "mean TTFT ms", "front-end", "queueing", "prefill"],
        r.Points.Where(p => p.Sim.MeanTtftParts is not null).Select(p => (IReadOnlyList<string>)[p.Load.Label, N(p.Sim.Stat("ttft", "mean"), 1),
            N(p.Sim.MeanTtftParts!.FrontendMs, 1), N(p.Sim.MeanTtftParts.QueueingMs, 1), N(p.Sim.MeanTtftParts.PrefillMs, 1)]).ToList(),
        "Means over the completed requests; the three parts add up to the mean TTFT (prefill includes a disaggregated hand-off).");

    public static Table Points(PredictionResult r) => new(
        ["concurrency", "rate", "median TTFT ms", "90% interval", "p99 TTFT ms", "median TPOT ms", "90% interval", "p99 TPOT ms", "p99 ITL ms", "output tok/s", "tok/s/GPU", "req/s", "$/request", "$/1M out", "meets SLO", "%SoL", "step ms", "weights", "KV", "compute", "attention", "collectives", "overhead"],
        r.Points.Select(p =>
        {
            var b = p.Sim.MeanStep;
            return (IReadOnlyList<string>)[
                p.Load.Concurrency?.ToString(Inv) ?? "-", p.Load.RequestRate?.ToString("0.###", Inv) ?? "inf",
                N(p.Sim.Stat("ttft", "median"), 1), Iv(p.Intervals?.MedianTtftMs, 1), N(p.Sim.Stat("ttft", "p99"), 1), N(p.Sim.Stat("tpot", "median")), Iv(p.Intervals?.MedianTpotMs, 2), N(p.Sim.Stat("tpot", "p99")), N(p.Sim.Stat("itl", "p99")),
                N(p.Sim.OutputThroughput, 0), N(p.TokensPerGpu, 0), N(p.Sim.RequestThroughput, 3),
                p.CostPerRequest is { } c ? c.ToString("0.######", Inv) : "n/a", N(p.CostPer1MOutputTokens, 3),
                p.MeetsSlo is { } ok ? (ok ? "yes" : "no: " + string.Join(", ", p.MissedSlos)) : "-", N(p.SolFraction * 100, 1),
                N(b.Total * 1e3, 3), N(b.Weights * 1e3, 3), N(b.Kv * 1e3, 3), N(b.Compute * 1e3, 3), N(b.Attention * 1e3, 3), N(b.Collectives * 1e3, 3), N(b.Overhead * 1e3, 3)];
        }).ToList(),
        "Predicted, not measured. breakdown = mean ms per step of the decode (or aggregated) pool.");

    public static Table? Calibration(PredictionResult r) => r.Calibration is not { } c ? null : new(
        ["parameter", "prior", "fitted value", "range", "status", "meaning"],
        c.Table.Select(p => (IReadOnlyList<string>)[p.Name + (p.Unit == "" ? "" : $" ({p.Unit})"), p.Prior.ToString("0.####", Inv), p.Value.ToString("0.####", Inv), $"{p.Min.ToString("0.###", Inv)}..{p.Max.ToString("0.###", Inv)}", p.Note, p.Meaning]).ToList(),
        $"{r.PriorNote}. RMS residual {c.RmsPercent:0.##}% over {c.Residuals.Count} (run, metric) pairs, {c.Iterations} iteration(s).");

    /// <summary>Each parameter as used on the target profile: canonical value, value used, how it carried over.</summary>
    public static Table Carried(PredictionResult r) => new(
        ["parameter", "canonical", "used here", "how it carried"],
        r.Carried.Select(p => (IReadOnlyList<string>)[p.Name, p.Canonical.ToString("0.####", Inv), p.Used.ToString("0.####", Inv), p.How]).ToList(),
        r.ParametersFrom);

    /// <summary>The deployments runs were simulated on, each part with its origin (file = the run's --metadata key, flag = the command's).</summary>
    public static Table Deployments(IReadOnlyList<RunDeployment> deps) => new(
        ["deployment", "runs", "from the files", "from the command"],
        deps.GroupBy(d => d.Label).Select(g => (IReadOnlyList<string>)[g.Key, g.Count().ToString(Inv),
            string.Join(", ", g.First().Parts.Where(p => p.From == "file").Select(p => p.Key)), string.Join(", ", g.First().Parts.Where(p => p.From != "file").Select(p => p.Key))]).ToList());

    private static string Iv((double Low, double High)? iv, int d) => iv is { } x ? $"{N(x.Low, d)}..{N(x.High, d)}" : "-";

    public static Table Comparisons(IReadOnlyList<MetricComparison> rows, string note) => new(
        ["source", "deployment", "concurrency", "metric", "measured", "predicted", "error %", "90% interval", "inside"],
        rows.Select(x => (IReadOnlyList<string>)[Path.GetFileName(x.Source), x.Deployment ?? "-", x.Concurrency?.ToString(Inv) ?? "-", x.Metric, N(x.Measured), N(x.Predicted),
            x.ErrorPercent.ToString("+0.0;-0.0", Inv), Iv(x.Interval, 2), x.Inside is { } ok ? (ok ? "yes" : "no") : "-"]).ToList(), note);

    public static Table? CheckSummary(PredictionResult r) => r.Check is not { } c ? null : new(
        ["metric", "points", "median |error| %", "max |error| %", "inside 90% interval"],
        c.Summary.Select(s => (IReadOnlyList<string>)[s.Metric, s.Points.ToString(Inv), N(s.MedianAbsErrorPercent, 1), N(s.MaxAbsErrorPercent, 1),
            s.WithInterval > 0 ? $"{s.Inside}/{s.WithInterval} ({100.0 * s.Inside / s.WithInterval:0}%)" : "-"]).ToList());

    public static Table? Search(PredictionResult r) => r.Search is not { } s ? null : new(
        ["GPU", "TP", "replicas", "concurrency", "tok/s/GPU", "tok/s/user", "p99 TPOT ms", "median TTFT ms", "$/request", "meets SLO", "KV-limited", "frontier"],
        s.Rows.Select(x => (IReadOnlyList<string>)[x.Gpu, x.TensorParallel.ToString(Inv), x.Replicas.ToString(Inv), (x.Point.Load.Concurrency ?? 0).ToString(Inv),
            N(x.Point.TokensPerGpu, 0), N(x.Point.TokensPerUser, 1), N(x.Point.Sim.Stat("tpot", "p99")), N(x.Point.Sim.Stat("ttft", "median"), 1),
            x.Point.CostPerRequest is { } c ? c.ToString("0.######", Inv) : "n/a", x.Point.MeetsSlo is { } ok ? (ok ? "yes" : "no") : "-", x.KvLimited ? "yes" : "", x.OnFrontier ? "*" : ""]).ToList(),
        (s.Cheapest is { } best ? $"Cheapest per request meeting every SLO: {best.Gpu} TP {best.TensorParallel} at c{best.Point.Load.Concurrency} ({best.Point.CostPerRequest?.ToString("0.######", Inv)} $/request). Binding: {s.Binding}. Run it: `{s.ServeCommand}`; measure it: `{s.BenchCommand}`." : "No configuration qualifies: " + s.Binding)
        + (s.Excluded.Count > 0 ? " Excluded: " + string.Join("; ", s.Excluded.Take(12)) : ""));

    public static IEnumerable<Chart> Charts(PredictionResult r)
    {
        if (r.Check is { } check)
            foreach (var (metric, title, unit) in new[] { ("median_tpot_ms", "Median TPOT", "ms"), ("median_ttft_ms", "Median TTFT", "ms"), ("output_throughput", "Output throughput", "tok/s") })
                if (CheckChart(r, check, metric, title, unit) is { } chart) yield return chart;
        if (r.Search is { Rows.Count: > 0 } s)
        {
            var series = s.Rows.GroupBy(x => $"{x.Gpu} TP {x.TensorParallel}")
                .Select(g => new ChartSeries(g.Key, g.OrderBy(x => x.Point.TokensPerUser).Select(x => new ChartPoint(x.Point.TokensPerUser, x.Point.TokensPerGpu)).ToList())).ToList();
            var front = s.Rows.Where(x => x.OnFrontier).OrderBy(x => x.Point.TokensPerUser).Select(x => new ChartPoint(x.Point.TokensPerUser, x.Point.TokensPerGpu)).ToList();
            series.Add(new ChartSeries("Pareto frontier", front, Line: true, Markers: true));
            if (s.Cheapest is { } best)
                series.Add(new ChartSeries($"chosen: {best.Gpu} TP {best.TensorParallel} c{best.Point.Load.Concurrency}", [new ChartPoint(best.Point.TokensPerUser, best.Point.TokensPerGpu)],
                    Line: false, Style: new SeriesStyle("#d62728")));
            // A TPOT objective is a floor on tok/s per user (1000 / TPOT): the region left of it misses the SLO.
            var sloLines = r.Request.Slos.Where(x => x.Metric == "tpot" && x.ThresholdMs > 0)
                .Select(x => new RefLine($"SLO {x.Text}: tok/s per user >= {1000 / x.ThresholdMs:0.#}", 1000 / x.ThresholdMs, Vertical: true)).ToList();
            yield return new LineChart("predict-frontier", "Predicted frontier: tok/s per GPU vs tok/s per user",
                "Every searched configuration; concurrency rises along each line. The chosen configuration is the cheapest per request meeting every SLO; a TPOT SLO is a vertical line (left of it: too slow per user).",
                new Axis("tok/s per user (1000 / median TPOT)"), new Axis("output tok/s per GPU"), series, sloLines);
        }
        else if (r.Points.Count > 1)
        {
            yield return new LineChart("predict-points", "Predicted tok/s per GPU vs tok/s per user", "Predicted points, not measured.",
                new Axis("tok/s per user (1000 / median TPOT)"), new Axis("output tok/s per GPU"),
                [new ChartSeries("predicted", r.Points.OrderBy(p => p.TokensPerUser).Select(p => new ChartPoint(p.TokensPerUser, p.TokensPerGpu)).ToList())], []);
        }
    }

    /// <summary>
    /// Predicted vs measured for one metric: against concurrency when every run shares one deployment (calibration and
    /// held-out runs apart, the held-out runs' 90% interval dashed, each held-out point labelled with its error), else
    /// predicted against measured on log axes with y = x (runs on several GPUs, TPs or workloads share no x axis).
    /// </summary>
    private static LineChart? CheckChart(PredictionResult r, CheckResult check, string metric, string title, string unit)
    {
        var held = check.Rows.Where(x => x.Metric == metric && x.Measured > 0 && x.Predicted > 0).ToList();
        var fitted = r.Calibration?.Residuals.Where(x => x.Metric == metric && x.Measured > 0 && x.Predicted > 0).ToList() ?? [];
        if (held.Count == 0) return null;
        var inside = held.Count(x => x.Inside == true);
        var coverage = held.Any(x => x.Interval is not null) ? $" {inside} of {held.Count} held-out values inside their 90% interval." : "";
        var id = "predict-" + metric.Replace('_', '-');
        if (held.Concat(fitted).Select(x => x.Deployment).Distinct().Count() <= 1 && held.Concat(fitted).All(x => x.Concurrency is > 0))
        {
            var h = held.OrderBy(x => x.Concurrency).ToList();
            var series = new List<ChartSeries>
            {
                new("measured, held out", h.Select(x => new ChartPoint(x.Concurrency!.Value, x.Measured)).ToList(), Line: false,
                    PointLabels: h.Select(x => x.ErrorPercent.ToString("+0;-0", Inv) + "%").ToList()),
                new("predicted", h.Concat(fitted).OrderBy(x => x.Concurrency).Select(x => new ChartPoint(x.Concurrency!.Value, x.Predicted)).ToList()),
            };
            if (fitted.Count > 0) series.Insert(1, new("measured, calibration", fitted.OrderBy(x => x.Concurrency).Select(x => new ChartPoint(x.Concurrency!.Value, x.Measured)).ToList(), Line: false));
            if (h.All(x => x.Interval is not null))
            {
                series.Add(new("90% interval", h.Select(x => new ChartPoint(x.Concurrency!.Value, x.Interval!.Value.Low)).ToList(), Markers: false, Style: new SeriesStyle("#7f7f7f", Dashed: true)));
                series.Add(new("", h.Select(x => new ChartPoint(x.Concurrency!.Value, x.Interval!.Value.High)).ToList(), Markers: false, Style: new SeriesStyle("#7f7f7f", Dashed: true)));
            }
            return new LineChart(id, $"{title}: predicted vs measured", "Calibration runs (fitted on) and held-out runs (never fitted on), labelled with the prediction's error." + coverage,
                new Axis("concurrency", AxisScale.Log2), new Axis($"{title} ({unit})"), series, []);
        }
        var all = held.Concat(fitted).SelectMany(x => new[] { x.Measured, x.Predicted }).ToList();
        var (lo, hi) = (all.Min(), all.Max());
        return new LineChart(id, $"{title}: predicted vs measured, every deployment", "Each run on its own deployment (GPU, TP, workload); on the y = x line the prediction is exact." + coverage,
            new Axis($"measured {title} ({unit})", AxisScale.Log10), new Axis($"predicted {title} ({unit})", AxisScale.Log10),
            [
                new("held out, inside the 90% interval", held.Where(x => x.Inside != false).Select(x => new ChartPoint(x.Measured, x.Predicted)).ToList(), Line: false),
                new("held out, outside it", held.Where(x => x.Inside == false).Select(x => new ChartPoint(x.Measured, x.Predicted)).ToList(), Line: false, Style: new SeriesStyle("#d62728")),
                new("calibration runs", fitted.Select(x => new ChartPoint(x.Measured, x.Predicted)).ToList(), Line: false),
                new("y = x", [new ChartPoint(lo, lo), new ChartPoint(hi, hi)], Markers: false, Style: new SeriesStyle("#7f7f7f", Dashed: true)),
            ], []);
    }
}
