namespace Micro.Core.Results.Points;

/// <summary>One collective point as nccl-tests prints it: op at a size over a number of ranks.</summary>
public sealed record CollectiveParameters : IPointParameters
{
    /// <summary>nccl-tests' name: all_reduce, all_gather, reduce_scatter, alltoall, broadcast, reduce, sendrecv.</summary>
    public required string Op { get; init; }
    /// <summary>nccl-tests' printed size: max(send bytes, recv bytes).</summary>
    public required long SizeBytes { get; init; }
    public long? Count { get; init; }
    /// <summary>Null where an imported log does not say.</summary>
    public int? Nranks { get; init; }
    public bool InPlace { get; init; }
    /// <summary>sum, prod, max, min, avg; "none" for ops that do not reduce.</summary>
    public string? Redop { get; init; }
    /// <summary>The root rank of rooted ops; null for the others.</summary>
    public int? Root { get; init; }
}
