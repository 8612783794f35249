using Micro.Reports.Analysis;
using Micro.Reports.Data;
using Micro.Reports.Tests.Fixtures;

namespace Micro.Reports.Tests.Analysis;

/// <summary>The analysis figures' data (not pixels): which statistic an axis carries, where an SLO region lies, what is not drawn and why.</summary>
public sealed class AnalysisChartTests
{
    [Fact]
    public void ParetoAxisUsesTheSloStatisticSoMissesLieOutsideTheRegion()
    {
        // p99 TPOT runs 5.05..7 ms, mean TPOT is 80% of it: at 6 ms, points 21..40 miss on p99 although their mean meets it.
        var view = AnalysisView.Of(AnalysisFixtures.Result(40, "p99:tpot<=6ms"));
        var chart = AnalysisCharts.Pareto(view)!;
        Assert.Contains("p99 TPOT", chart.X.Label, StringComparison.Ordinal);
        var region = Assert.Single(chart.Regions!);
        Assert.Equal(1000 / 6.0, region.From, 9);
        var misses = chart.Series.Single(s => s.Label == "misses SLO");
        var meets = chart.Series.Single(s => s.Label == "meets SLO");
        Assert.Equal(20, misses.Points.Count);
        Assert.All(misses.Points, p => Assert.True(p.X < region.From, $"a point that misses the SLO is drawn inside its region at x={p.X}"));
        Assert.All(meets.Points, p => Assert.True(p.X >= region.From));
        // The X value is 1000 / p99 TPOT of that point, not 1000 / mean TPOT.
        var first = view.Result.Points[0];
        Assert.Contains(meets.Points, p => Math.Abs(p.X - 1000 / first.Latency("p99", "tpot")!.Value) < 1e-9);
    }

    [Fact]
    public void ParetoWithoutATpotSloUsesMeanAndDrawsNoRegionForAnotherMetric()
    {
        var chart = AnalysisCharts.Pareto(AnalysisView.Of(AnalysisFixtures.Result(8, "p99:itl<=9ms")))!;
        Assert.Contains("mean TPOT", chart.X.Label, StringComparison.Ordinal);
        Assert.Empty(chart.Regions!);
        Assert.Contains("p99:itl<=9ms", chart.Caption, StringComparison.Ordinal);
        Assert.Contains("Not drawn as a region", chart.Caption, StringComparison.Ordinal);
    }

    [Fact]
    public void MedianAndP99TpotLinesLookDifferent()
    {
        var chart = AnalysisCharts.Latency(AnalysisView.Of(AnalysisFixtures.Result(8)))!;
        var median = chart.Series.Single(s => s.Label.StartsWith("median TPOT", StringComparison.Ordinal)).Style!;
        var p99 = chart.Series.Single(s => s.Label.StartsWith("p99 TPOT", StringComparison.Ordinal)).Style!;
        Assert.NotEqual(median.Color, p99.Color);
        Assert.NotEqual(median.Dashed, p99.Dashed);
        Assert.Equal(AxisScale.Log2, chart.X.Scale);
        // Far apart, not two blues: the red channel of p99 TPOT is well above the median's.
        Assert.True(Convert.ToInt32(p99.Color[1..3], 16) - Convert.ToInt32(median.Color[1..3], 16) > 128);
    }

    [Fact]
    public void TtftChartMarksEachPointByTheSloAndDrawsTheTtftThreshold()
    {
        // p99 TPOT 5.05..7 ms: at 6 ms half of the 40 points miss; every p99 TTFT (900 ms) meets the TTFT objective.
        var view = AnalysisView.Of(AnalysisFixtures.Result(40, "p99:tpot<=6ms", "p99:ttft<=1000ms"));
        var chart = AnalysisCharts.Ttft(view)!;
        Assert.Equal(AxisScale.Log2, chart.X.Scale);
        Assert.Equal(AxisScale.Log10, chart.Y.Scale);
        var meets = chart.Series.Single(s => s.Label == "meets every SLO");
        var misses = chart.Series.Single(s => s.Label == "misses an SLO");
        Assert.Equal(view.Points.Count(p => p.MeetsSlo == true), meets.Points.Count);
        Assert.Equal(view.Points.Count(p => p.MeetsSlo == false), misses.Points.Count);
        Assert.Equal(20, misses.Points.Count);
        // Marked on the statistic of the TTFT objective (p99 = 900 ms here), labelled with their concurrency.
        Assert.All(meets.Points.Concat(misses.Points), p => Assert.Equal(900, p.Y, 6));
        Assert.Equal(meets.Points.Count, meets.PointLabels!.Count);
        Assert.StartsWith("c=", meets.PointLabels[0], StringComparison.Ordinal);
        Assert.Equal(1000, Assert.Single(chart.Lines).Value);
    }

    [Fact]
    public void CostIsOnALogAxis()
    {
        var chart = AnalysisCharts.Cost(AnalysisView.Of(AnalysisFixtures.Result(8)))!;
        Assert.Equal(AxisScale.Log10, chart.Y.Scale);
        Assert.Equal(AxisScale.Log2, chart.X.Scale);
    }

    [Fact]
    public void SolChartIsSkippedWithTheReasonWithoutAModel()
    {
        var result = AnalysisFixtures.Result(4);
        Assert.Null(AnalysisCharts.Sol(AnalysisView.Of(result)));
        using var dir = new ResultsDirectory();
        var written = AnalysisReport.WriteAll(result, dir.Path);
        Assert.Contains(AnalysisCharts.SolSkipped, written.Notes);
        Assert.False(File.Exists(Path.Combine(dir.Path, "sol.png")));
        Assert.Contains("sol.png not drawn", File.ReadAllText(Path.Combine(dir.Path, "report.md")), StringComparison.Ordinal);
        if (Micro.Reports.Plots.PlotSupport.UnavailableReason is null)
            Assert.True(File.Exists(Path.Combine(dir.Path, "pareto.png")));
    }
}
