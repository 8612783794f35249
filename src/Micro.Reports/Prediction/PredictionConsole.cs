using Micro.Core.Text;
using Micro.EndToEnd.Prediction;
using Micro.Reports.Writers;

namespace Micro.Reports.Prediction;

/// <summary>The console view: the same tables as the report, control characters stripped from every cell.</summary>
public static class PredictionConsole
{
    public static void Print(TextWriter w, PredictionResult r)
    {
        w.WriteLine(Line($"predict {r.Model.Setup.Model.Name} on {r.Model.Setup.Device.Hardware.Name} ({r.Model.Setup.Device.Hardware.Label}): predicted, not measured", 400));
        foreach (var s in r.Sources) w.WriteLine("  " + Line(s, 600));
        if (r.Calibration is not null)
        {
            w.WriteLine(Line(r.ModelIdCheck, 400));
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
