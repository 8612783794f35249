using System.Globalization;
using Micro.Core.Results;

namespace Micro.Core.Input;

/// <summary>
/// A figure another tool printed in its text log (BabelStream, nccl-tests, rccl-tests). Each is bounded so that
/// nothing Micro derives from it (a byte rate, a product of counts, a mean over rows) leaves the range of a double or a
/// long: past a bound the log is not one measurement of one device, and it is one line naming file, field and reason.
/// </summary>
public static class PrintedFigure
{
    /// <summary>1 PiB: more than any one device's memory, array or message.</summary>
    public const long MaxBytes = 1L << 50;
    /// <summary>1 PB/s: about a hundred times the fastest memory or link of any device.</summary>
    public const double MaxBytesPerSecond = 1e15;
    /// <summary>A year: longer is not one kernel's or one collective's time.</summary>
    public const double MaxSeconds = 365.25 * 24 * 3600;

    /// <summary>A printed time; <paramref name="unit"/> seconds per printed unit (1e-6 for microseconds).</summary>
    public static double Seconds(string file, string field, string text, double unit = 1)
    {
        var v = NonNegative(file, field, text);
        if (v * unit > MaxSeconds) throw new InputException(file, field, $"'{Clip(text)}' is more than a year: not one timed operation");
        return v;
    }

    /// <summary>A printed rate; <paramref name="unit"/> bytes per second per printed unit (1e6 for MBytes/sec).</summary>
    public static double Rate(string file, string field, string text, double unit)
    {
        var v = NonNegative(file, field, text);
        if (v * unit > MaxBytesPerSecond) throw new InputException(file, field, $"'{Clip(text)}' is more than 1 PB/s: faster than any device or link");
        return v;
    }

    /// <summary>A byte count, printed or the product of printed counts: refused past <see cref="MaxBytes"/>.</summary>
    public static void CheckBytes(string file, string field, double bytes, string shown)
    {
        if (!(bytes <= MaxBytes)) throw new InputException(file, field, $"'{Clip(shown)}' is more than 1 PiB: not one device's array or message");
    }

    /// <summary>A rate derived from a byte count and a printed time (bytes / seconds): refused past <see cref="MaxBytesPerSecond"/> or
    /// when the time is 0.</summary>
    public static void CheckDerivedRate(string file, string field, double bytes, double seconds, string shown)
    {
        // A time of 0 for a known byte count (below the printed resolution) gives no rate either.
        if (bytes > 0 && !(bytes / seconds <= MaxBytesPerSecond))
            throw new InputException(file, field, $"'{Clip(shown)}' s for {bytes.ToString("0", CultureInfo.InvariantCulture)} bytes is more than 1 PB/s: faster than any device or link");
    }

    private static double NonNegative(string file, string field, string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < 0)
            throw new InputException(file, field, $"expected a non-negative number, found '{Clip(text)}'");
        return v == 0 ? 0 : v; // -0 printed is 0
    }

    private static string Clip(string s) => Micro.Core.Text.ConsoleText.OneLine(s.Length > 40 ? s[..40] + "..." : s);
}
