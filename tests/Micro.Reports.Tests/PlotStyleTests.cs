using Micro.Reports.Data;
using Micro.Reports.Plots;

namespace Micro.Reports.Tests;

/// <summary>The house style: no two series alike, point labels that never overlap, bars tall enough for their labels.</summary>
public sealed class PlotStyleTests
{
    [Fact]
    public void FortySeriesGetFortyDifferentLooks()
    {
        var looks = Enumerable.Range(0, 40).Select(HouseStyle.Series).ToList();
        Assert.Equal(40, looks.Distinct().Count());
        Assert.Equal(10, looks.Take(10).Select(l => l.Color).Distinct().Count());
    }

    [Fact]
    public void PointLabelsThatWouldCollideAreLeftOutAndFarOnesKept()
    {
        // Two series whose points nearly coincide: the second series' labels land on the first's and are dropped.
        var a = new ChartSeries("a", [new(1, 100), new(1024, 200)], PointLabels: ["c=1", "c=1024"]);
        var b = new ChartSeries("b", [new(1, 100.5), new(1024, 20)], PointLabels: ["c=1", "c=1024"]);
        var chart = new LineChart("t", "t", "c", new Axis("x", AxisScale.Log2), new Axis("y"), [a, b], []);
        var placer = new PointLabelPlacer(chart);
        Assert.Equal(2, placer.Place(a).Count());
        var second = placer.Place(b).ToList();
        Assert.Equal(["c=1024"], second.Select(l => l.Text));
        Assert.Equal(10, second[0].X, 9); // log2(1024)
    }

    [Fact]
    public void BarChartsGrowWithTheirBars()
    {
        var bars = Enumerable.Range(0, 40).Select(i => new ChartBar($"case{i}", i)).ToList();
        var chart = new BarChart("b", "t", "c", "case", "us", bars, []);
        Assert.True(ChartRenderer.HeightOf(chart) >= 40 * 20);
        Assert.Equal(ChartRenderer.Height, ChartRenderer.HeightOf(chart with { Bars = bars.Take(3).ToList() }));
    }
}
