namespace Micro.Core.Results;

/// <summary>
/// How contended the machine was while a host point was measured: this process's CPU share (thread CPU time over
/// wall time x threads) and the load average before and after. Busy points are written noisy in ceilings.json and
/// never win a ceiling over a clean point.
/// </summary>
public sealed record Contention
{
    public double? CpuShare { get; init; }
    public double? LoadBefore { get; init; }
    public double? LoadAfter { get; init; }
    public bool Busy { get; init; }

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
        return new Contention
        {
            CpuShare = double.IsFinite(share) ? Math.Round(share, 4) : null,
            LoadBefore = double.IsFinite(loadBefore) ? loadBefore : null,
            LoadAfter = double.IsFinite(loadAfter) ? loadAfter : null,
            Busy = busy,
        };
    }
}
