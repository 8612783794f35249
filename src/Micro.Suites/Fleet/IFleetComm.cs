namespace Micro.Suites.Fleet;

/// <summary>The few process-group operations a fleet run needs (MPI under mpirun/srun; a fake in tests).</summary>
public interface IFleetComm : IDisposable
{
    int Rank { get; }
    int Size { get; }
    /// <summary>Rank among the processes on this host (picks the local GPU when the launcher did not).</summary>
    int LocalRank { get; }
    string Host { get; }
    /// <summary>Element-wise maximum over all ranks, the result on every rank.</summary>
    long[] AllReduceMax(long[] values, TimeSpan timeout);
    /// <summary>Every rank sends the same number of bytes; rank 0 receives every rank's, in rank order; other ranks get null.</summary>
    byte[][]? GatherFixed(byte[] mine, TimeSpan timeout);
    void Barrier(TimeSpan timeout);
    /// <summary>
    /// Every rank says it is done measuring; past the timeout the rank that notices names the ranks that never arrived
    /// (<see cref="FleetTimeoutException"/>). A no-op where the process group cannot stall (fakes, one process).
    /// </summary>
    void Arrive(TimeSpan timeout) { }
}

/// <summary>A fleet operation failed or timed out; the message names the operation and the reason.</summary>
public class FleetCommException(string message) : Exception(message);

/// <summary>A rank did not arrive in time (stalled, stopped, dead): the run ends with ExitCodes.Timeout; the message names it.</summary>
public sealed class FleetTimeoutException(string message) : FleetCommException(message);
