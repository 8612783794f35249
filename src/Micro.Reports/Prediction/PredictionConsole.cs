using Micro.Core.Text;
using Micro.EndToEnd.Prediction;
using Micro.Reports.Writers;

namespace Micro.Reports.Prediction;

/// <summary>
/// The console view: the answer in a few lines (where the parameters came from, the predicted medians with their 90%
/// intervals, the check's error and coverage, the search's answer); --verbose adds every source, the parameter table,
/// the deployments and the per-run rows (all of which are in prediction.json and the report anyway).
/// Control characters are stripped from every cell.
/// </summary>
public static class PredictionConsole
{
    public static void Print(TextWriter w, PredictionResult r, bool verbose = false)
    {
        var d = r.Model.Setup;
        w.WriteLine(Line($"predict {d.Model.Name} on {d.Device.Hardware.Name} ({d.Device.Hardware.Label}), {d.Deployment.Describe()}: predicted, not measured", 300));
        w.WriteLine(Line("parameters: " + r.ParametersFrom, 300));
        if (verbose) foreach (var s in r.Sources) w.WriteLine("  " + Line(s, 600));
        else foreach (var s in r.Sources.Where(s => s.StartsWith("warning", StringComparison.Ordinal))) w.WriteLine("  " + Line(s, 300));
        if (r.Calibration is { } c)
        {
            w.WriteLine(Line(r.ModelIdCheck, 300));
            w.WriteLine(Line($"calibration: RMS residual {c.RmsPercent:0.##}% over {c.Residuals.Count} (run, metric) pairs; {c.Table.Count(p => p.Fitted)} of {c.Table.Count} parameters fitted", 300));
            if (c.RanOutOfKv.Count > 0) w.WriteLine(Line("calibration: " + Calibrator.KvNote(c.RanOutOfKv), 400));
            Write(w, "calibration runs by deployment", PredictionReport.Deployments(c.Deployments));
            if (verbose)
            {
                Write(w, "calibration", PredictionReport.Calibration(r)!);
                Write(w, "calibration residuals", PredictionReport.Comparisons(c.Residuals, ""));
            }
        }
        if (verbose || r.Calibration is null && r.Request.Calibration is not null) Write(w, "parameters on this profile", PredictionReport.Carried(r));
        Write(w, "predicted points", PredictionReport.PointsCompact(r));
        Write(w, "where TTFT goes (mean ms)", PredictionReport.TtftParts(r));
        if (r.Check is { } check)
        {
            Write(w, "check runs by deployment", PredictionReport.Deployments(check.Deployments));
            if (verbose) Write(w, "check (not fitted on these runs)", PredictionReport.Comparisons(check.Rows, ""));
            Write(w, "check summary (not fitted on these runs)", PredictionReport.CheckSummary(r)!);
            if (check.RanOutOfKv.Count > 0) w.WriteLine(Line("check: " + Calibrator.KvNote(check.RanOutOfKv), 400));
        }
        if (PredictionReport.Search(r) is { } search)
        {
            if (verbose) Write(w, "search", search);
            if (r.Search is { } s)
            {
                w.WriteLine();
                w.WriteLine(s.Cheapest is { } best
                    ? Line($"search: cheapest meeting every SLO: {best.Gpu} TP {best.TensorParallel} x{best.Replicas} at c{best.Point.Load.Concurrency}, {best.Point.CostPerRequest:0.######} $/request; binding: {s.Binding}", 300)
                    : Line("search: " + s.Binding, 300));
                if (s.CheapestMeetsSloPessimistic is { } pess)
                    w.WriteLine(Line(pess ? "  still meets every SLO at the pessimistic end of its 90% interval" : "  at the pessimistic end of its 90% interval it misses " + string.Join(", ", s.PessimisticMisses), 300));
                if (s.ServeCommand is { } serve) w.WriteLine("  run it:     " + Line(serve, 400));
                if (s.BenchCommand is { } bench) w.WriteLine("  measure it: " + Line(bench, 400));
            }
        }
        if (!verbose) w.WriteLine("(--verbose, or --out DIR, for every source, parameter and per-run row)");
    }

    private static string Line(string? s, int max = 160)
    {
        var one = ConsoleText.OneLine(s);
        return one.Length > max ? one[..max] + "..." : one;
    }

    private static void Write(TextWriter w, string title, Table t)
    {
        w.WriteLine();
        w.WriteLine("== " + title);
        w.WriteLine(string.Join(" | ", t.Header));
        foreach (var row in t.Rows) w.WriteLine(string.Join(" | ", row.Select(c => Line(c))));
        if (!string.IsNullOrEmpty(t.Note)) w.WriteLine(Line(t.Note, 2000));
    }
}
