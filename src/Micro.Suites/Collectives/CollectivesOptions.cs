namespace Micro.Suites.Collectives;

/// <summary>`micro collectives` settings; flag letters and defaults follow nccl-tests.</summary>
public sealed record CollectivesOptions
{
    public CollectiveBackend Backend { get; init; } = CollectiveBackend.Nccl;
    public string? LibraryPath { get; init; }
    public int Device { get; init; } = -1;
    public IReadOnlyList<CollectiveOp> Ops { get; init; } = [CollectiveOp.AllReduce];
    public IReadOnlyList<CollectiveDType> DTypes { get; init; } = [CollectiveDType.Float];
    public IReadOnlyList<RedOp> RedOps { get; init; } = [RedOp.Sum];
    public long MinBytes { get; init; } = 32L << 20;
    public long MaxBytes { get; init; } = 32L << 20;
    /// <summary>-f: multiply the size by this each step (nccl-tests' stepfactor).</summary>
    public long StepFactor { get; init; } = 2;
    /// <summary>-i: add this many bytes each step instead (used when StepFactor &lt;= 1).</summary>
    public long StepBytes { get; init; } = 1L << 20;
    public int Iterations { get; init; } = 20;
    public int Warmup { get; init; } = 5;
    /// <summary>-c: number of verification runs per point (0 disables checking).</summary>
    public int Checks { get; init; } = 1;
    public int Root { get; init; }
    /// <summary>-G: graph launches (0: no CUDA/HIP graph).</summary>
    public int GraphLaunches { get; init; }
    public double TimeoutSeconds { get; init; } = 120;
    /// <summary>-a: the time the table reports, as nccl-tests: rank 0's own, the average over ranks (default), the minimum or the maximum.</summary>
    public TimeAcrossRanks Average { get; init; } = TimeAcrossRanks.Average;
    /// <summary>Test-only: this rank sleeps before its first collective so the others hit the watchdog.</summary>
    public int? TestStallRank { get; init; }
    public double TestStallSeconds { get; init; } = 600;
    /// <summary>Test-only: this rank overwrites one received element before each check, to prove #wrong and the exit code.</summary>
    public int? TestCorruptRank { get; init; }

    public IEnumerable<long> Sizes()
    {
        for (var s = MinBytes; s <= MaxBytes; s = StepFactor > 1 ? s * StepFactor : s + StepBytes)
        {
            yield return s;
            if (StepFactor <= 1 && StepBytes <= 0) yield break;
            if (s == 0 && StepFactor > 1) yield break;
        }
    }
}

/// <summary>nccl-tests' -a values: 0 rank 0's time, 1 the average over ranks, 2 the minimum, 3 the maximum.</summary>
public enum TimeAcrossRanks { Rank0 = 0, Average = 1, Min = 2, Max = 3 }
