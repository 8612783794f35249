using Micro.Reports.Analysis;
using Micro.Reports.Tests.Fixtures;

namespace Micro.Reports.Tests.Analysis;

/// <summary>Past AnalysisView.MaxPoints the report summarizes and says so; analysis.json and points.csv keep every point.</summary>
public sealed class AnalysisSummaryTests
{
    [Fact]
    public void ViewKeepsFrontierChosenPointsAndAnEvenSample()
    {
        var r = AnalysisFixtures.Result(300, "p99:tpot<=15ms");
        var view = AnalysisView.Of(r, maxPoints: 50);
        Assert.Equal(50, view.Shown.Count);
        Assert.Equal(view.Shown.Order(), view.Shown);
        Assert.Contains(r.ThroughputOptimal.Index, view.Shown);
        Assert.Contains(r.OperatingPoint!.Index, view.Shown);
        Assert.Contains("showing 50 of 300 points", view.SummaryNote, StringComparison.Ordinal);
        // The sample spans the sweep rather than its start.
        Assert.True(view.Shown.Max() > 250 && view.Shown.Min() < 50);
        Assert.Null(AnalysisView.Of(r).SummaryNote);
    }

    [Fact]
    public void ABigRunWritesABoundedReportThatSaysItSummarizes()
    {
        // The mechanism at a lowered threshold (the real one is AnalysisView.MaxPoints = 1,000): 12x past it.
        const int max = 40, n = max * 12;
        var r = AnalysisFixtures.Result(n, "p99:tpot<=100ms");
        using var dir = new ResultsDirectory();
        var written = AnalysisReport.WriteAll(r, dir.Path, max);
        var md = File.ReadAllText(Path.Combine(dir.Path, "report.md"));
        var html = File.ReadAllText(Path.Combine(dir.Path, "report.html"));
        var note = $"showing {max} of {n} points";
        Assert.Contains(note, md, StringComparison.Ordinal);
        Assert.Contains(note, html, StringComparison.Ordinal);
        Assert.Contains(written.Notes, l => l.Contains(note, StringComparison.Ordinal));
        Assert.Equal(max, md.Split("\n### Concurrency ").Length - 1);
        // Every table row and plot point is one of the shown points: the report does not grow with n.
        Assert.Equal(max, md.Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal) && char.IsDigit(l[2])) - 0);
        Assert.Equal(n + 1, File.ReadAllLines(Path.Combine(dir.Path, PointsCsv.FileName)).Length);
        Assert.Equal(n, Micro.EndToEnd.Analysis.AnalysisJson.Read(Path.Combine(dir.Path, "analysis.json")).Points.Count);
    }
}
