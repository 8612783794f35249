using Micro.Reports.Writers;

namespace Micro.Reports.Tests;

/// <summary>report.html as one file that reads at 1280 px: figures inline, empty columns dropped, long tables collapsed.</summary>
public sealed class HtmlLayoutTests
{
    private static IReadOnlyList<string> Row(params string[] cells) => cells;

    [Fact]
    public void AColumnEmptyInEveryRowIsNotWritten()
    {
        var t = new Table(["Device", "UUID", "Value"], [Row("gpu", "", "1"), Row("host", " ", "2")]);
        var html = HtmlWriter.Write(new ReportModel("r", [t]));
        Assert.Contains("<th>Device</th><th>Value</th>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("UUID", html, StringComparison.Ordinal);
        Assert.DoesNotContain("UUID", MarkdownWriter.Write(new ReportModel("r", [t])), StringComparison.Ordinal);
    }

    [Fact]
    public void ALongTableIsCollapsedWithItsRowCountAndAShortOneIsNot()
    {
        var longTable = new Table(["Case", "GB/s"], Enumerable.Range(0, HtmlWriter.CollapseRows + 1).Select(i => Row($"c{i}", "1")).ToList());
        var shortTable = new Table(["Case", "GB/s"], [Row("triad", "2")]);
        var html = HtmlWriter.Write(new ReportModel("r", [longTable, shortTable]));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<details>"));
        Assert.Contains($"<details><summary>{HtmlWriter.CollapseRows + 1} rows: Case, GB/s</summary>", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("</details>", StringComparison.Ordinal) < html.IndexOf("<td>triad</td>", StringComparison.Ordinal));
    }

    [Fact]
    public void AFigureIsEmbeddedAsADataUriAndLinkedWhenItsBytesAreMissing()
    {
        var f = new Figure("busbw", "caption", "plots/busbw.png", "plots/busbw.svg");
        var embedded = HtmlWriter.Write(new ReportModel("r", [f]), p => p == "plots/busbw.png" ? [1, 2, 3] : null);
        Assert.Contains("<img src=\"data:image/png;base64,AQID\"", embedded, StringComparison.Ordinal);
        var linked = HtmlWriter.Write(new ReportModel("r", [f]), _ => null);
        Assert.Contains("<img src=\"plots/busbw.png\"", linked, StringComparison.Ordinal);
    }
}
