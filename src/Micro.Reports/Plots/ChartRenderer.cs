using Micro.Reports.Data;
using ScottPlot;
using Axis = Micro.Reports.Data.Axis;

namespace Micro.Reports.Plots;

/// <summary>Renders a chart model with ScottPlot into Id.png and Id.svg in a directory.</summary>
public static class ChartRenderer
{
    public const int Width = 1100;
    public const int Height = 560;

    public sealed record Rendered(Chart Chart, string PngFile, string SvgFile);

    public static Rendered Render(Chart chart, string directory)
    {
        Directory.CreateDirectory(directory);
        using var plot = chart switch
        {
            LineChart l => Line(l),
            BarChart b => Bars(b),
            _ => throw new ArgumentException("unknown chart kind " + chart.GetType().Name),
        };
        var png = chart.Id + ".png";
        var svg = chart.Id + ".svg";
        var height = HeightOf(chart);
        plot.SavePng(Path.Combine(directory, png), Width, height);
        plot.SaveSvg(Path.Combine(directory, svg), Width, height);
        return new Rendered(chart, png, svg);
    }

    private static Plot Line(LineChart c)
    {
        var plot = HouseStyle.NewPlot(c.Title, c.X.Label, c.Y.Label);
        var i = 0;
        var labels = new PointLabelPlacer(c);
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (var s in c.Series)
        {
            var pts = s.Points.Where(p => LogTicks.Plottable(p.X, c.X.Scale) && LogTicks.Plottable(p.Y, c.Y.Scale)).ToList();
            if (pts.Count == 0) continue;
            var px = pts.Select(p => LogTicks.Transform(p.X, c.X.Scale)).ToArray();
            var py = pts.Select(p => LogTicks.Transform(p.Y, c.Y.Scale)).ToArray();
            xs.AddRange(px);
            ys.AddRange(py);
            var (color, marker, pattern) = s.Style is { } st ? (Color.FromHex(st.Color), MarkerShape.FilledCircle, LinePattern.Solid) : HouseStyle.Series(i++);
            var sc = s.Line ? plot.Add.Scatter(px, py, color) : plot.Add.ScatterPoints(px, py, color);
            sc.LegendText = s.Label;
            sc.MarkerSize = !s.Markers ? 0 : s.Line ? 6 : 10;
            sc.LineWidth = s.Line ? 2 : 0;
            sc.MarkerShape = s.Line ? marker : MarkerShape.FilledDiamond;
            // Only a real dash: SVG export warns on stderr for every line given a pattern object, solid included.
            if (!pattern.Equals(LinePattern.Solid)) sc.LinePattern = pattern;
            if (s.Style is { Dashed: true }) { sc.LinePattern = LinePattern.Dashed; sc.MarkerShape = MarkerShape.OpenSquare; }
            foreach (var (text, x, y) in labels.Place(s))
            {
                var t = plot.Add.Text(text, x, y);
                t.LabelFontSize = 11;
                t.LabelFontColor = color;
                t.LabelOffsetY = -14;
                t.LabelAlignment = Alignment.MiddleCenter;
            }
        }
        foreach (var region in c.Regions ?? [])
        {
            if (!LogTicks.Plottable(region.From, c.X.Scale)) continue;
            var from = LogTicks.Transform(region.From, c.X.Scale);
            var to = double.IsPositiveInfinity(region.To) ? Math.Max(xs.DefaultIfEmpty(from).Max(), from) * 1.1 + 1e-9 : LogTicks.Transform(region.To, c.X.Scale);
            var span = plot.Add.HorizontalSpan(from, to);
            span.FillStyle.Color = Colors.Green.WithAlpha(0.12);
            span.LineStyle.Width = 0;
            span.LegendText = region.Label;
            xs.Add(from);
        }
        foreach (var l in c.Lines.Where(l => LogTicks.Plottable(l.Value, l.Vertical ? c.X.Scale : c.Y.Scale)))
        {
            if (l.Vertical)
            {
                var v = LogTicks.Transform(l.Value, c.X.Scale);
                xs.Add(v);
                var line = plot.Add.VerticalLine(v, 2, Colors.DimGray, LinePattern.Dashed);
                line.LegendText = l.Label;
            }
            else
            {
                var v = LogTicks.Transform(l.Value, c.Y.Scale);
                ys.Add(v);
                var line = plot.Add.HorizontalLine(v, 2, Colors.DimGray, LinePattern.Dashed);
                line.LegendText = l.Label;
            }
        }
        plot.Axes.AutoScale();
        if (xs.Count > 0) ApplyScale(plot, plot.Axes.Bottom, c.X, xs.Min(), xs.Max(), horizontal: true);
        if (ys.Count > 0) ApplyScale(plot, plot.Axes.Left, c.Y, ys.Min(), ys.Max(), horizontal: false);
        HouseStyle.Legend(plot);
        return plot;
    }

    private static void ApplyScale(Plot plot, IAxis axis, Axis spec, double lo, double hi, bool horizontal)
    {
        if (spec.Scale == AxisScale.Linear)
        {
            // Bandwidths and times start at zero so differences are not exaggerated.
            if (!horizontal && lo >= 0) plot.Axes.SetLimitsY(0, hi * 1.08);
            return;
        }
        var pad = Math.Max((hi - lo) * 0.05, 0.25);
        var (positions, labels) = LogTicks.Ticks(lo - pad, hi + pad, spec.Scale, spec.Format);
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        if (horizontal) plot.Axes.SetLimitsX(lo - pad, hi + pad);
        else plot.Axes.SetLimitsY(lo - pad, hi + pad);
    }

    /// <summary>Bar charts grow in height with their bars so each keeps a readable row for its label.</summary>
    public static int HeightOf(Chart chart) => chart is BarChart b ? Math.Max(Height, 160 + 24 * b.Bars.Count) : Height;

    /// <summary>
    /// Horizontal bars: the labels (case / backend, rank / host) read on the left axis, one line each, however many
    /// bars there are; reference lines (fleet median, threshold) are vertical.
    /// </summary>
    private static Plot Bars(BarChart c)
    {
        var plot = HouseStyle.NewPlot(c.Title, c.YLabel, c.XLabel);
        var ok = HouseStyle.Palette[0];
        var bad = HouseStyle.Palette[3];
        var n = c.Bars.Count;
        double Row(int i) => n - 1 - i;  // the first bar on top
        var bars = c.Bars.Select((b, i) => new Bar
        {
            Position = Row(i), Value = double.IsFinite(b.Value) ? b.Value : 0, FillColor = b.Flagged ? bad : ok, Size = 0.7,
        }).ToList();
        plot.Add.Bars(bars).Horizontal = true;
        var top = n == 0 ? 1 : c.Bars.Max(b => Math.Max(double.IsFinite(b.Value) ? b.Value : 0, b.High is { } h && double.IsFinite(h) ? h : 0));
        for (var i = 0; i < n; i++)
        {
            if (c.Bars[i] is { Low: { } lo, High: { } hi } && double.IsFinite(lo) && double.IsFinite(hi))
            {
                var w = plot.Add.Line(lo, Row(i), hi, Row(i));
                w.LineColor = Colors.Black;
                w.LineWidth = 2;
            }
        }
        foreach (var l in c.Lines.Where(l => !l.Vertical && double.IsFinite(l.Value)))
        {
            var v = plot.Add.VerticalLine(l.Value, 2, l.Label.StartsWith("median", StringComparison.Ordinal) ? Colors.DimGray : Colors.DarkOrange, LinePattern.Dashed);
            v.LegendText = l.Label;
            top = Math.Max(top, l.Value);
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, n).Select(i => Row(i)).ToArray(), c.Bars.Select(b => b.Label.Replace("\n", " / ", StringComparison.Ordinal)).ToArray());
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        plot.Axes.SetLimits(0, top * 1.1, -0.6, Math.Max(n, 1) - 0.4);
        if (c.Bars.Any(b => b.Flagged))
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "outlier", FillColor = bad });
        if (c.Bars.Any(b => b.Flagged) || c.Lines.Count > 0)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "within threshold", FillColor = ok });
            HouseStyle.Legend(plot);
        }
        return plot;
    }
}
