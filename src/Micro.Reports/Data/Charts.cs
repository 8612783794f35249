namespace Micro.Reports.Data;

public enum AxisScale { Linear, Log2, Log10 }
public enum AxisFormat { Number, Bytes }

public sealed record Axis(string Label, AxisScale Scale = AxisScale.Linear, AxisFormat Format = AxisFormat.Number);

public sealed record ChartPoint(double X, double Y);

/// <summary>How a series looks where it matters (two statistics of one metric must not look alike); null = the palette's next colour, solid.</summary>
/// <param name="Color">"#rrggbb".</param>
public sealed record SeriesStyle(string Color, bool Dashed = false);

/// <param name="Line">Joined by a line (a sweep); false: markers only (points placed on a roofline).</param>
/// <param name="Markers">Mark each point (false for a drawn ceiling such as a roof).</param>
/// <param name="PointLabels">A short label drawn beside each point (same order as Points), or null.</param>
public sealed record ChartSeries(string Label, IReadOnlyList<ChartPoint> Points, bool Line = true, bool Markers = true,
    SeriesStyle? Style = null, IReadOnlyList<string>? PointLabels = null);

/// <summary>A shaded band of X values (From..To, To may be +infinity: up to the edge of the data), such as an SLO region.</summary>
public sealed record ChartRegion(string Label, double From, double To);

/// <summary>A vertical (X) or horizontal (Y) reference line such as the L2 size or a fleet median.</summary>
public sealed record RefLine(string Label, double Value, bool Vertical);

public sealed record ChartBar(string Label, double Value, double? Low = null, double? High = null, bool Flagged = false);

/// <summary>A plot to render, independent of the plotting library; Id names its files (Id.png, Id.svg).</summary>
public abstract record Chart(string Id, string Title, string Caption);

public sealed record LineChart(string Id, string Title, string Caption, Axis X, Axis Y, IReadOnlyList<ChartSeries> Series, IReadOnlyList<RefLine> Lines,
    IReadOnlyList<ChartRegion>? Regions = null) : Chart(Id, Title, Caption);

public sealed record BarChart(string Id, string Title, string Caption, string XLabel, string YLabel, IReadOnlyList<ChartBar> Bars, IReadOnlyList<RefLine> Lines)
    : Chart(Id, Title, Caption);
