using Micro.Core;
using Micro.Reports.Data;

namespace Micro.Reports.Plots;

/// <summary>
/// ScottPlot 5 has no logarithmic axis: values are plotted as log2/log10 and the axis gets ticks at whole powers,
/// labelled with the untransformed value (bytes as KiB/MiB/GiB for sizes).
/// </summary>
public static class LogTicks
{
    public const int MaxTicks = 12;

    public static double Transform(double v, AxisScale scale) => scale switch
    {
        AxisScale.Log2 => Math.Log2(v),
        AxisScale.Log10 => Math.Log10(v),
        _ => v,
    };

    public static bool Plottable(double v, AxisScale scale) => double.IsFinite(v) && (scale == AxisScale.Linear || v > 0);

    /// <summary>Tick positions (in transformed units) and labels covering [lo, hi].</summary>
    public static (double[] Positions, string[] Labels) Ticks(double lo, double hi, AxisScale scale, AxisFormat format)
    {
        var first = (int)Math.Floor(lo);
        var last = (int)Math.Ceiling(hi);
        if (last <= first) last = first + 1;
        var step = Math.Max(1, (int)Math.Ceiling((last - first + 1) / (double)MaxTicks));
        var positions = new List<double>();
        var labels = new List<string>();
        // A log10 axis over three decades or less also gets 2x and 5x ticks, so a reader can place a value between powers.
        double[] within = scale == AxisScale.Log10 && last - first <= 3 ? [0, Math.Log10(2), Math.Log10(5)] : [0];
        for (var k = first; k <= last; k += step)
        {
            foreach (var offset in within)
            {
                var position = k + offset;
                if (offset > 0 && (position < lo || position > hi)) continue;
                var value = scale == AxisScale.Log2 ? Math.Pow(2, position) : Math.Pow(10, position);
                positions.Add(position);
                labels.Add(format == AxisFormat.Bytes ? Units.FormatBytes(value) : FormatNumber(value));
            }
        }
        return (positions.ToArray(), labels.ToArray());
    }

    public static string FormatNumber(double v) =>
        v is >= 1e-3 and < 1e6 ? v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : v.ToString("0.#e0", System.Globalization.CultureInfo.InvariantCulture);
}
