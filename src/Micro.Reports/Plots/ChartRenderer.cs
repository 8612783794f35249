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
        plot.SavePng(Path.Combine(directory, png), Width, Height);
        plot.SaveSvg(Path.Combine(directory, svg), Width, Height);
        return new Rendered(chart, png, svg);
    }

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title, 18);
        plot.XLabel(xLabel, 15);
        plot.YLabel(yLabel, 15);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        return plot;
    }

    private static Plot Line(LineChart c)
    {
        var plot = NewPlot(c.Title, c.X.Label, c.Y.Label);
        var palette = c.Series.Count > 10 ? Colors.Category20 : Colors.Category10;
        var i = 0;
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
            var color = s.Style is { } st ? Color.FromHex(st.Color) : palette[i++ % palette.Length];
            var sc = s.Line ? plot.Add.Scatter(px, py, color) : plot.Add.ScatterPoints(px, py, color);
            sc.LegendText = s.Label;
            sc.MarkerSize = !s.Markers ? 0 : s.Line ? 6 : 10;
            sc.LineWidth = s.Line ? 2 : 0;
            if (!s.Line) sc.MarkerShape = MarkerShape.FilledDiamond;
            if (s.Style is { Dashed: true }) { sc.LinePattern = LinePattern.Dashed; sc.MarkerShape = MarkerShape.OpenSquare; }
            if (s.PointLabels is { } labels)
                for (var k = 0; k < s.Points.Count && k < labels.Count; k++)
                    if (LogTicks.Plottable(s.Points[k].X, c.X.Scale) && LogTicks.Plottable(s.Points[k].Y, c.Y.Scale))
                        plot.Add.Text(labels[k], LogTicks.Transform(s.Points[k].X, c.X.Scale), LogTicks.Transform(s.Points[k].Y, c.Y.Scale)).LabelFontSize = 11;
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
        plot.ShowLegend(Edge.Right);
        plot.Legend.FontSize = 12;
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

    private static Plot Bars(BarChart c)
    {
        var plot = NewPlot(c.Title, c.XLabel, c.YLabel);
        var ok = Colors.SteelBlue;
        var bad = Colors.Crimson;
        var bars = c.Bars.Select((b, i) => new Bar
        {
            Position = i, Value = double.IsFinite(b.Value) ? b.Value : 0, FillColor = b.Flagged ? bad : ok, Size = 0.7,
        }).ToList();
        plot.Add.Bars(bars);
        var top = c.Bars.Count == 0 ? 1 : c.Bars.Max(b => Math.Max(b.Value, b.High ?? 0));
        for (var i = 0; i < c.Bars.Count; i++)
        {
            if (c.Bars[i] is { Low: { } lo, High: { } hi } && double.IsFinite(lo) && double.IsFinite(hi))
            {
                var w = plot.Add.Line(i, lo, i, hi);
                w.LineColor = Colors.Black;
                w.LineWidth = 2;
            }
        }
        foreach (var l in c.Lines.Where(l => !l.Vertical && double.IsFinite(l.Value)))
        {
            var h = plot.Add.HorizontalLine(l.Value, 2, l.Label.StartsWith("median", StringComparison.Ordinal) ? Colors.DimGray : Colors.DarkOrange, LinePattern.Dashed);
            h.LegendText = l.Label;
            top = Math.Max(top, l.Value);
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, c.Bars.Count).Select(i => (double)i).ToArray(), c.Bars.Select(b => b.Label).ToArray());
        plot.Axes.Bottom.TickLabelStyle.FontSize = c.Bars.Count > 16 ? 10 : 12;
        if (c.Bars.Count > 12) plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = c.Bars.Count > 12 ? Alignment.MiddleLeft : Alignment.UpperCenter;
        plot.Axes.SetLimits(-0.6, Math.Max(c.Bars.Count, 1) - 0.4, 0, top * 1.12);
        if (c.Bars.Any(b => b.Flagged))
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "outlier", FillColor = bad });
        if (c.Bars.Any(b => b.Flagged) || c.Lines.Count > 0)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "within threshold", FillColor = ok });
            plot.ShowLegend(Edge.Right);
            plot.Legend.FontSize = 12;
        }
        return plot;
    }
}
