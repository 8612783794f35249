namespace Micro.Core.Results;

/// <summary>
/// Whether a host point had the machine to itself: the CPU share its threads got (process CPU time over wall time x
/// threads) and the 1-minute load average before and after. Busy points are kept but never win a ceiling silently.
/// </summary>
public sealed record Contention(double CpuShare, double LoadBefore, double LoadAfter, bool Busy)
{
    /// <summary>Below this share of wall time x threads, something else had the cores.</summary>
    public const double MinCpuShare = 0.75;

    /// <summary>
    /// Busy when the point's threads got less than MinCpuShare of their cores, or when the load beyond the point's own
    /// threads reached a quarter of the cores (at least one runnable thread): another process competed.
    /// </summary>
    public static Contention From(double cpuSeconds, double wallSeconds, int threads, double loadBefore, double loadAfter, int cores)
    {
        var share = wallSeconds > 0 && threads > 0 ? cpuSeconds / (wallSeconds * threads) : double.NaN;
        var others = Math.Max(loadBefore, loadAfter) - threads;
        var busy = share < MinCpuShare || others >= Math.Max(1.0, 0.25 * cores);
        return new Contention(Math.Round(share, 4), loadBefore, loadAfter, busy);
    }
}
