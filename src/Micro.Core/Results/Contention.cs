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
}
