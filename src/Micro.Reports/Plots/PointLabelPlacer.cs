using Micro.Reports.Data;

namespace Micro.Reports.Plots;

/// <summary>
/// Places the short labels beside points ("c=64") so none overlaps another: each label's box is estimated in the
/// plot's own fraction of width and height (from the data range of the whole chart), and a label whose box would cross
/// one already placed is left out (the point keeps its marker; the table has every value).
/// </summary>
public sealed class PointLabelPlacer
{
    // A label of n characters at 11 px is about 6.5 n px wide and 14 px high on a ~950 x 430 px data area.
    private const double CharWidth = 6.5 / 950;
    private const double Height = 16.0 / 430;

    private readonly LineChart _chart;
    private readonly (double Lo, double Span) _x;
    private readonly (double Lo, double Span) _y;
    private readonly List<(double X0, double X1, double Y0, double Y1)> _placed = [];

    public PointLabelPlacer(LineChart chart)
    {
        _chart = chart;
        var pts = chart.Series.SelectMany(s => s.Points).Where(Plottable).ToList();
        _x = Range(pts.Select(p => LogTicks.Transform(p.X, chart.X.Scale)));
        _y = Range(pts.Select(p => LogTicks.Transform(p.Y, chart.Y.Scale)));
    }

    private bool Plottable(ChartPoint p) => LogTicks.Plottable(p.X, _chart.X.Scale) && LogTicks.Plottable(p.Y, _chart.Y.Scale);

    private static (double, double) Range(IEnumerable<double> values)
    {
        var v = values.ToList();
        if (v.Count == 0) return (0, 1);
        var span = v.Max() - v.Min();
        return (v.Min(), span > 0 ? span : 1);
    }

    /// <summary>The labels of a series that fit, with their transformed positions, in the series' order.</summary>
    public IEnumerable<(string Text, double X, double Y)> Place(ChartSeries series)
    {
        if (series.PointLabels is not { } labels) yield break;
        for (var k = 0; k < series.Points.Count && k < labels.Count; k++)
        {
            var p = series.Points[k];
            if (!Plottable(p) || string.IsNullOrEmpty(labels[k])) continue;
            var x = LogTicks.Transform(p.X, _chart.X.Scale);
            var y = LogTicks.Transform(p.Y, _chart.Y.Scale);
            var nx = (x - _x.Lo) / _x.Span;
            var ny = (y - _y.Lo) / _y.Span + Height;  // drawn just above the point
            var half = labels[k].Length * CharWidth / 2;
            var box = (nx - half, nx + half, ny - Height / 2, ny + Height / 2);
            if (_placed.Any(b => b.X0 < box.Item2 && box.Item1 < b.X1 && b.Y0 < box.Item4 && box.Item3 < b.Y1)) continue;
            _placed.Add(box);
            yield return (labels[k], x, y);
        }
    }
}
