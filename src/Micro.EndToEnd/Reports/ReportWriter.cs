using System.Text.Json;
using Micro.Core.Results;
using Micro.EndToEnd.Analysis;

namespace Micro.EndToEnd.Reports;

/// <summary>Writes analysis.json, report.md, report.html (SVG inline), points.csv and one PNG per figure into a directory.</summary>
public static class ReportWriter
{
    public static IReadOnlyList<string> WriteAll(AnalysisResult r, string dir)
    {
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        string Path_(string name) { var p = Path.Combine(dir, name); written.Add(p); return p; }

        File.WriteAllText(Path_("analysis.json"), JsonSerializer.Serialize(r, AnalysisJson.Options));
        PointsCsv.Write(Path_("points.csv"), r);
        var figures = new List<(string Title, string Svg)>();
        var pngs = new List<string>();
        var plotsSkipped = Micro.Reports.Plots.PlotSupport.UnavailableReason;
        foreach (var (name, title, plot) in plotsSkipped is null ? Plots.All(r) : [])
        {
            plot.SavePng(Path_(name + ".png"), Plots.Width, Plots.Height);
            pngs.Add(name + ".png");
            figures.Add((title, StripXmlDeclaration(plot.GetSvgXml(Plots.Width, Plots.Height))));
        }
        File.WriteAllText(Path_("report.md"), MarkdownReport.Render(r, pngs));
        File.WriteAllText(Path_("report.html"), HtmlReport.Render(r, figures));
        return written;
    }

    private static string StripXmlDeclaration(string svg)
    {
        var i = svg.IndexOf("<svg", StringComparison.Ordinal);
        return i > 0 ? svg[i..] : svg;
    }
}

/// <summary>analysis.json uses Micro's JSON convention; infinities (a cost with zero throughput) are written as strings.</summary>
public static class AnalysisJson
{
    public static readonly JsonSerializerOptions Options = MicroJson.Pretty;

    public static AnalysisResult Read(string path)
    {
        InputLimits.CheckFileSize(path, 256L << 20);
        AnalysisResult? r;
        try { r = LegacySchema.Deserialize<AnalysisResult>(File.ReadAllText(path), Options); }
        catch (JsonException e) { throw new InputException(path, e.Path, "not an analysis.json (" + e.Message.Split('\n')[0] + ")", e); }
        if (r is null) throw new InputException(path, null, "empty analysis");
        if (r.Schema != AnalysisResult.CurrentSchema) throw new InputException(path, "schema", $"unsupported schema '{r.Schema}', expected '{AnalysisResult.CurrentSchema}'");
        return r;
    }
}
