using Micro.Reports.Plots;
using Micro.Reports.Writers;

namespace Micro.Reports.Sections;

/// <summary>Renders a report definition: its figures (PNG + SVG), then report.md and report.html, each written atomically.</summary>
public static class ReportFiles
{
    public const string MarkdownFile = "report.md";
    public const string HtmlFile = "report.html";

    /// <param name="PlotsSkipped">Why no figures were drawn (see PlotSupport), or null.</param>
    /// <param name="ChartsNotDrawn">Charts the input has no data for, each with the reason.</param>
    public sealed record Written(string Markdown, string Html, IReadOnlyList<ChartRenderer.Rendered> Figures, string PlotsDirectory, string? PlotsSkipped,
        IReadOnlyList<string> ChartsNotDrawn);

    /// <param name="plotsSubdir">Folder of the figures relative to <paramref name="dir"/> ("" = beside the report).</param>
    public static Written Write<T>(ReportDefinition<T> definition, T input, string dir, string plotsSubdir)
    {
        Directory.CreateDirectory(dir);
        var plots = plotsSubdir.Length == 0 ? dir : Path.Combine(dir, plotsSubdir);
        var skipped = PlotSupport.UnavailableReason;
        var rendered = skipped is null ? definition.AllCharts(input).Select(c => ChartRenderer.Render(c, plots)).ToList() : [];
        var notDrawn = definition.SkippedCharts(input).ToList();
        var model = definition.Compose(new ReportContext<T>(input, rendered, plotsSubdir, skipped, notDrawn));
        var md = Path.Combine(dir, MarkdownFile);
        var html = Path.Combine(dir, HtmlFile);
        WriteAtomic(md, MarkdownWriter.Write(model));
        WriteAtomic(html, HtmlWriter.Write(model, rel => ReadFigure(dir, rel)));
        return new Written(md, html, rendered, plots, skipped, notDrawn);
    }

    /// <summary>A figure this report just rendered (its path is our own slug under dir), for embedding; null when it cannot be read.</summary>
    private static byte[]? ReadFigure(string dir, string relative)
    {
        var path = Path.Combine(dir, relative);
        try
        {
            return new FileInfo(path).Length <= HtmlWriter.MaxEmbeddedBytes ? File.ReadAllBytes(path) : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public static void WriteAtomic(string path, string text)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }
}
