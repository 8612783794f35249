using Micro.Reports.Data;
using Micro.Reports.Plots;
using Micro.Reports.Writers;

namespace Micro.Reports.Sections;

/// <summary>What a section sees: the report's input and the figures already rendered for it.</summary>
/// <param name="PlotsPath">Where the figure files lie, relative to the report (empty: beside it).</param>
/// <param name="PlotsSkipped">Why no figures were drawn on this machine (PlotSupport), or null.</param>
/// <param name="ChartsNotDrawn">One line per chart the input has no data for, saying why (from the chart providers).</param>
public sealed record ReportContext<TInput>(TInput Input, IReadOnlyList<ChartRenderer.Rendered> Figures, string PlotsPath, string? PlotsSkipped,
    IReadOnlyList<string> ChartsNotDrawn);

/// <summary>
/// One section of a report, in the manner of BenchmarkDotNet's columns: it looks at the input and yields its blocks,
/// or nothing when the input has nothing for it (no fleet, no speed of light ...).
/// </summary>
public sealed record ReportSection<TInput>(string Name, Func<ReportContext<TInput>, IEnumerable<ReportBlock>> Blocks);

/// <summary>A chart provider: the charts it can draw from the input, and for each chart it cannot draw, why not.</summary>
public sealed record ChartProvider<TInput>(string Name, Func<TInput, IEnumerable<Chart>> Charts, Func<TInput, IEnumerable<string>>? Skipped = null);

/// <summary>
/// A report: a title, the chart providers and the sections in order. `micro report` (RunReport), `micro analyze`
/// (AnalysisReport) and any later report are such a definition; ReportFiles renders it. See README.md here.
/// </summary>
public sealed record ReportDefinition<TInput>(string Title, IReadOnlyList<ChartProvider<TInput>> Charts, IReadOnlyList<ReportSection<TInput>> Sections)
{
    public IEnumerable<Chart> AllCharts(TInput input) => Charts.SelectMany(c => c.Charts(input));

    public IEnumerable<string> SkippedCharts(TInput input) => Charts.SelectMany(c => c.Skipped?.Invoke(input) ?? []);

    public ReportModel Compose(ReportContext<TInput> context) =>
        new(Title, Sections.SelectMany(s => s.Blocks(context)).ToList());
}

/// <summary>Sections every report can use.</summary>
public static class CommonSections
{
    /// <summary>The rendered figures under a heading, and a line for each figure that was not drawn and why.</summary>
    public static ReportSection<T> Figures<T>(string heading = "Figures") => new("figures", ctx => FigureBlocks(ctx, heading));

    private static IEnumerable<ReportBlock> FigureBlocks<T>(ReportContext<T> ctx, string heading)
    {
        if (ctx.Figures.Count == 0 && ctx.ChartsNotDrawn.Count == 0 && ctx.PlotsSkipped is null) yield break;
        yield return new Heading(heading);
        if (ctx.PlotsSkipped is { } why) yield return new Paragraph(why);
        foreach (var s in ctx.ChartsNotDrawn) yield return new Paragraph(s);
        foreach (var f in ctx.Figures)
            yield return new Figure(f.Chart.Title, f.Chart.Caption, Join(ctx.PlotsPath, f.PngFile), Join(ctx.PlotsPath, f.SvgFile));
    }

    private static string Join(string dir, string file) => dir.Length == 0 ? file : dir + "/" + file;
}
