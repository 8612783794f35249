using Micro.Reports.Data;
using Micro.Reports.Sections;

namespace Micro.Reports;

/// <summary>`micro report DIR`: reads a results directory and writes report.md, report.html and plots/*.png|svg into it.</summary>
public static class ReportBuilder
{
    public const string MarkdownFile = ReportFiles.MarkdownFile;
    public const string HtmlFile = ReportFiles.HtmlFile;
    public const string PlotsDir = "plots";

    /// <param name="outDir">Where to write (default: the results directory itself).</param>
    public static ReportFiles.Written Build(string resultsDir, string? outDir = null) =>
        ReportFiles.Write(RunReport.Definition, ReportInput.Load(resultsDir), outDir ?? resultsDir, PlotsDir);
}
