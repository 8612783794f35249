using Micro.EndToEnd.Analysis;
using Micro.Reports.Sections;

namespace Micro.Reports.Analysis;

/// <summary>`micro analyze --out DIR`: analysis.json, points.csv, report.md, report.html and {pareto,latency,sol,cost}.png|svg.</summary>
public static class AnalysisReport
{
    public static readonly ReportDefinition<AnalysisView> Definition =
        new("vLLM results against speed of light and cost", AnalysisCharts.Providers, AnalysisSections.All);

    /// <param name="Files">Every file written.</param>
    /// <param name="Notes">Lines for the console: figures not drawn and why, and whether the report summarizes.</param>
    public sealed record Written(IReadOnlyList<string> Files, IReadOnlyList<string> Notes);

    /// <param name="maxPoints">Past this many points the report summarizes (tests lower it; see AnalysisView).</param>
    public static Written WriteAll(AnalysisResult r, string dir, int maxPoints = AnalysisView.MaxPoints)
    {
        Directory.CreateDirectory(dir);
        var files = new List<string>();
        var json = Path.Combine(dir, "analysis.json");
        AnalysisJson.Write(json, r);
        files.Add(json);
        var csv = Path.Combine(dir, PointsCsv.FileName);
        PointsCsv.Write(csv, r);
        files.Add(csv);
        var view = AnalysisView.Of(r, maxPoints);
        var report = ReportFiles.Write(Definition, view, dir, "");
        files.Add(report.Markdown);
        files.Add(report.Html);
        foreach (var f in report.Figures)
        {
            files.Add(Path.Combine(report.PlotsDirectory, f.PngFile));
            files.Add(Path.Combine(report.PlotsDirectory, f.SvgFile));
        }
        var notes = new List<string>();
        if (view.SummaryNote is { } s) notes.Add("report: " + s);
        if (report.PlotsSkipped is { } why) notes.Add(why);
        notes.AddRange(report.ChartsNotDrawn);
        return new Written(files, notes);
    }
}
