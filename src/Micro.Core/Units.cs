namespace Micro.Core;

/// <summary>Decimal units as every figure in Micro is stated: GB/s = 1e9 B/s, TFLOP/s = 1e12 FLOP/s.</summary>
public static class Units
{
    public const double Giga = 1e9;
    public const double Tera = 1e12;
    public const double Mega = 1e6;

    public static double GBps(double bytes, double seconds) => seconds > 0 ? bytes / seconds / Giga : 0;
    public static double Tflops(double flops, double seconds) => seconds > 0 ? flops / seconds / Tera : 0;

    /// <summary>Parses a byte count such as 1048576, 64M, 8G, 512K (binary suffixes, as nccl-tests -b/-e) or 1.5GB.</summary>
    public static bool TryParseBytes(string text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        double mult = 1;
        var upper = t.ToUpperInvariant();
        (string suffix, double m)[] suffixes =
        [
            ("TIB", 1L << 40), ("GIB", 1L << 30), ("MIB", 1L << 20), ("KIB", 1L << 10),
            ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3),
            ("T", 1L << 40), ("G", 1L << 30), ("M", 1L << 20), ("K", 1L << 10), ("B", 1),
        ];
        foreach (var (suffix, m) in suffixes)
        {
            if (upper.EndsWith(suffix, StringComparison.Ordinal))
            {
                mult = m;
                t = t[..^suffix.Length];
                break;
            }
        }
        if (!double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)) return false;
        if (double.IsNaN(v) || v < 0 || v * mult > long.MaxValue) return false;
        bytes = (long)Math.Round(v * mult);
        return true;
    }

    public static string FormatBytes(double bytes)
    {
        string[] names = ["B", "KiB", "MiB", "GiB", "TiB"];
        var i = 0;
        while (Math.Abs(bytes) >= 1024 && i < names.Length - 1) { bytes /= 1024; i++; }
        return i == 0 ? $"{bytes:0} {names[i]}" : $"{bytes:0.##} {names[i]}";
    }
}
