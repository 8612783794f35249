namespace Micro.Devices.Collectives;

/// <summary>A micro_coll call failed; the message is the shim's own (it names the rank and the failed call).</summary>
public class CollectiveException(int status, string message) : Exception(message)
{
    public const int StatusNoLibrary = 2;
    public const int StatusTimedOut = 4;
    public const int StatusUnsupported = 5;
    public int Status { get; } = status;
}

/// <summary>A collective missed its watchdog deadline: names rank, op, size and budget.</summary>
public sealed class CollectiveTimeoutException(int rank, string op, long bytes, string placement, double budgetSeconds, string detail)
    : CollectiveException(StatusTimedOut,
        $"timed out: rank {rank}: {op} of {bytes} bytes ({placement}) did not complete within {budgetSeconds:0.###} s; communicator aborted ({detail})")
{
    public int Rank { get; } = rank;
    public string Op { get; } = op;
    public long Bytes { get; } = bytes;
}

/// <summary>Ranks that did not reach a fleet-wide meeting point in time (stalled, stopped or dead).</summary>
public sealed class RanksMissingException(IReadOnlyList<int> missing, int count, string detail)
    : CollectiveException(StatusTimedOut, detail)
{
    /// <summary>The ranks that did not arrive (the first few thousand when more).</summary>
    public IReadOnlyList<int> Missing { get; } = missing;
    public int Count { get; } = count;
}
