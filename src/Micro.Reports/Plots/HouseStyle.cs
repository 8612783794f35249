using ScottPlot;

namespace Micro.Reports.Plots;

/// <summary>
/// The one look of every Micro figure: ten clearly distinct colours (Tableau 10), and past ten series a different
/// marker and dash for each further cycle, so no two series look alike; legends under the plot in rows, not in a
/// column that takes a third of the width; axis and tick sizes shared by every chart.
/// </summary>
public static class HouseStyle
{
    public static readonly Color[] Palette =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"), Color.FromHex("#9467bd"),
        Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#7f7f7f"), Color.FromHex("#bcbd22"), Color.FromHex("#17becf"),
    ];

    // No filled square: ScottPlot draws it with a path effect that its SVG export does not support (one stderr line per marker).
    private static readonly MarkerShape[] Markers = [MarkerShape.FilledCircle, MarkerShape.FilledDiamond, MarkerShape.FilledTriangleUp, MarkerShape.OpenCircle];
    private static readonly LinePattern[] Patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];

    /// <summary>Colour, marker and dash of the i-th unstyled series.</summary>
    public static (Color Color, MarkerShape Marker, LinePattern Pattern) Series(int i) =>
        (Palette[i % Palette.Length], Markers[i / Palette.Length % Markers.Length], Patterns[i / Palette.Length % Patterns.Length]);

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title, 17);
        plot.XLabel(xLabel, 14);
        plot.YLabel(yLabel, 14);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.08);
        return plot;
    }

    /// <summary>The legend below the plot, laid out in rows, so the data keeps the full width.</summary>
    public static void Legend(Plot plot)
    {
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.FontSize = 12;
        plot.ShowLegend(Edge.Bottom);
    }
}
