using Micro.Reports.Data;
using Micro.Reports.Plots;
using Micro.Reports.Writers;

namespace Micro.Reports;

/// <summary>`micro report DIR`: reads a results directory and writes report.md, report.html and plots/*.png|svg into it.</summary>
public static class ReportBuilder
{
    public const string MarkdownFile = "report.md";
    public const string HtmlFile = "report.html";
    public const string PlotsDir = "plots";

    /// <param name="PlotsSkipped">Why no figures were drawn (see PlotSupport), or null.</param>
    public sealed record Output(string Markdown, string Html, IReadOnlyList<ChartRenderer.Rendered> Figures, string PlotsDirectory, string? PlotsSkipped = null);

    /// <param name="outDir">Where to write (default: the results directory itself).</param>
    public static Output Build(string resultsDir, string? outDir = null)
    {
        var input = ReportInput.Load(resultsDir);
        var target = outDir ?? resultsDir;
        var plots = Path.Combine(target, PlotsDir);
        var charts = Charts(input).ToList();
        var skipped = PlotSupport.UnavailableReason;
        var rendered = skipped is null ? charts.Select(c => ChartRenderer.Render(c, plots)).ToList() : [];
        var model = ReportModelBuilder.Build(input, rendered, PlotsDir);
        Directory.CreateDirectory(target);
        var md = Path.Combine(target, MarkdownFile);
        var html = Path.Combine(target, HtmlFile);
        WriteAtomic(md, MarkdownWriter.Write(model));
        WriteAtomic(html, HtmlWriter.Write(model));
        return new Output(md, html, rendered, plots, skipped);
    }

    public static IEnumerable<Chart> Charts(ReportInput input) =>
        BandwidthCharts.Build(input)
            .Concat(CollectiveCharts.Build(input))
            .Concat(RooflineCharts.Build(input))
            .Concat(LaunchCharts.Build(input))
            .Concat(FleetCharts.Build(input));

    private static void WriteAtomic(string path, string text)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }
}
