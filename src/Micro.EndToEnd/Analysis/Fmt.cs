using System.Globalization;

namespace Micro.EndToEnd.Analysis;

/// <summary>Invariant-culture formatting used by every report line.</summary>
public static class Fmt
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string N(double v, int decimals = 0) => double.IsFinite(v) ? v.ToString("N" + decimals, C) : v.ToString(C);
    public static string N(double? v, int decimals = 0) => v is { } x ? N(x, decimals) : "n/a";
    public static string Pct(double v, int decimals = 1) => double.IsFinite(v) ? (v * 100).ToString("N" + decimals, C) + "%" : "n/a";
    public static string Pct(double? v, int decimals = 1) => v is { } x ? Pct(x, decimals) : "n/a";

    /// <summary>Dollars with enough significant digits for per-request figures ($0.000569) and whole dollars for months.</summary>
    public static string Usd(double v)
    {
        if (!double.IsFinite(v)) return "n/a";
        var a = Math.Abs(v);
        if (a >= 100) return "$" + v.ToString("N0", C);
        if (a >= 1) return "$" + v.ToString("N2", C);
        if (a == 0) return "$0";
        var digits = Math.Max(4, 2 - (int)Math.Floor(Math.Log10(a)));
        return "$" + v.ToString("F" + Math.Min(digits, 10), C);
    }

    public static string Usd(double? v) => v is { } x ? Usd(x) : "n/a";
    public static string Conc(double? c) => c is { } x ? (Math.Abs(x - Math.Round(x)) < 1e-9 ? N(x) : N(x, 1)) : "n/a";
}
