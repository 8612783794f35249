namespace Micro.Reports.Plots;

/// <summary>
/// Whether ScottPlot can render on this machine. Its SkiaSharp native library needs libfontconfig.so.1, which some GPU
/// images lack; there reports are still written, without figures, and the reason is said in one line.
/// </summary>
public static class PlotSupport
{
    private static readonly Lazy<string?> Reason = new(Probe);

    /// <summary>Null when plots can be drawn here; otherwise one line saying why they are skipped.</summary>
    public static string? UnavailableReason => Reason.Value;

    private static string? Probe()
    {
        try
        {
            using var plot = new ScottPlot.Plot();
            return null;
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException)
        {
            var root = e;
            while (root.InnerException is not null) root = root.InnerException;
            var lines = root.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var cause = lines.FirstOrDefault(l => l.Contains("libfontconfig", StringComparison.Ordinal)) ?? lines.FirstOrDefault() ?? root.GetType().Name;
            return $"plots skipped: SkiaSharp's native library did not load ({cause}); on Debian/Ubuntu `apt-get install libfontconfig1` fixes it";
        }
    }
}
