using Micro.Devices.Collectives;

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
        catch (CollectiveException e)
        {
            throw new FleetCommException("--fleet needs MPI through libmicro_coll: " + e.Message);
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

    /// <summary>Seconds the other ranks wait past rank 0's deadline before they report rank 0 itself (so rank 0 reports first).</summary>
    public const double ArrivalGraceSeconds = 5;

    public void Arrive(TimeSpan timeout)
    {
        try { MpiProcess.Arrive(timeout.TotalSeconds, ArrivalGraceSeconds); }
        catch (RanksMissingException e)
        {
            var who = e.Count == 1 ? $"rank {e.Missing[0]}" : $"ranks {string.Join(",", e.Missing.Take(20))}{(e.Count > 20 ? $" (+{e.Count - 20} more)" : "")}";
            var verb = e.Count == 1 ? "has" : "have";
            throw new FleetTimeoutException($"{who} stalled: {verb} not finished measuring within {timeout.TotalSeconds:0.###} s (noticed by rank {Rank} on {Host}; raise --fleet-timeout if it is only slow)");
        }
        catch (CollectiveException e) { throw new FleetCommException($"rank {Rank}: {e.Message}"); }
    }

    /// <summary>Ends every rank of the job with a message (after a failure on this rank, so peers do not wait out the timeout).</summary>
    public static void AbortJob(int code, string message) => MpiProcess.AbortJob(code, message);

    public void Dispose()
    {
        if (!MpiProcess.TryFinalize(out var why)) Console.Error.WriteLine($"micro: rank {Rank}: {why}");
    }

    private void Wrap(Action a)
    {
        try { a(); }
        catch (CollectiveException e) when (e.Status == CollectiveException.StatusTimedOut) { throw new FleetTimeoutException($"rank {Rank}: {e.Message}"); }
        catch (CollectiveException e) { throw new FleetCommException($"rank {Rank}: {e.Message}"); }
    }
}
