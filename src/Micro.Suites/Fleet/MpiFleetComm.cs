using Micro.Suites.Collectives;

namespace Micro.Suites.Fleet;

/// <summary>
/// IFleetComm over the MPI helpers of libmicro_coll (MpiProcess): rank, size, host, and deadline-polled
/// allreduce/gather/barrier, so a rank that never arrives ends the run with a message instead of a hang.
/// </summary>
public sealed class MpiFleetComm : IFleetComm
{
    private MpiFleetComm()
    {
        Rank = MpiProcess.Rank;
        Size = MpiProcess.Size;
        LocalRank = MpiProcess.LocalRank;
        if (Rank < 0 || Size < 1) throw new FleetCommException($"MPI gave no rank ({Rank}) or size ({Size})");
        Host = MpiProcess.Hostname() is { Length: > 0 } h ? h : Environment.MachineName;
    }

    public int Rank { get; }
    public int Size { get; }
    public int LocalRank { get; }
    public string Host { get; }

    /// <summary>Initialises MPI through libmicro_coll; a missing library or MPI failure becomes one FleetCommException line.</summary>
    public static MpiFleetComm Open()
    {
        try
        {
            MpiProcess.Init();
            return new MpiFleetComm();
        }
        catch (DllNotFoundException)
        {
            throw new FleetCommException("--fleet needs MPI through libmicro_coll.so, not found beside micro or in $MICRO_NATIVE_DIR (build it with ./scripts/build)");
        }
        catch (CollectiveException e)
        {
            throw new FleetCommException("--fleet: " + e.Message);
        }
    }

    public long[] AllReduceMax(long[] values, TimeSpan timeout)
    {
        var v = values.ToArray();
        Wrap(() => MpiProcess.AllReduce(v, RedOp.Max, timeout.TotalSeconds));
        return v;
    }

    public byte[][]? GatherFixed(byte[] mine, TimeSpan timeout)
    {
        byte[][]? all = null;
        Wrap(() => all = MpiProcess.GatherToRoot(mine, timeout.TotalSeconds));
        return all;
    }

    public void Barrier(TimeSpan timeout) => Wrap(() => MpiProcess.Barrier(timeout.TotalSeconds));

    /// <summary>Ends every rank of the job with a message (after a failure on this rank, so peers do not wait out the timeout).</summary>
    public static void AbortJob(int code, string message) => MpiProcess.AbortJob(code, message);

    public void Dispose() => MpiProcess.FinalizeMpi();

    private void Wrap(Action a)
    {
        try { a(); }
        catch (CollectiveException e) { throw new FleetCommException($"rank {Rank}: {e.Message}"); }
    }
}
