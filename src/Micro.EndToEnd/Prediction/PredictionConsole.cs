using Micro.Reports.Text;
using Micro.Reports.Writers;

namespace Micro.EndToEnd.Prediction;

/// <summary>The console view: the same tables as the report, control characters stripped from every cell.</summary>
public static class PredictionConsole
{
    public static void Print(TextWriter w, PredictionResult r)
    {
        w.WriteLine(SafeText.Bounded($"predict {r.Model.Setup.Model.Name} on {r.Model.Setup.Device.Hardware.Name} ({r.Model.Setup.Device.Hardware.Label}): predicted, not measured", 400));
        foreach (var s in r.Sources) w.WriteLine("  " + SafeText.Bounded(s, 600));
        if (r.Calibration is not null)
        {
            w.WriteLine(SafeText.Bounded(r.ModelIdCheck, 400));
            Write(w, "calibration", PredictionReport.Calibration(r)!);
            Write(w, "calibration residuals", PredictionReport.Comparisons(r.Calibration.Residuals, ""));
        }
        Write(w, "predicted points", PredictionReport.Points(r));
        if (r.Check is not null)
        {
            Write(w, "check (not fitted on these runs)", PredictionReport.Comparisons(r.Check.Rows, ""));
            Write(w, "check summary", PredictionReport.CheckSummary(r)!);
        }
        if (PredictionReport.Search(r) is { } search) Write(w, "search", search);
    }

    private static void Write(TextWriter w, string title, Table t)
    {
        w.WriteLine();
        w.WriteLine("== " + title);
        w.WriteLine(string.Join(" | ", t.Header));
        foreach (var row in t.Rows) w.WriteLine(string.Join(" | ", row.Select(c => SafeText.Bounded(c))));
        if (!string.IsNullOrEmpty(t.Note)) w.WriteLine(SafeText.Bounded(t.Note, 2000));
    }
}
