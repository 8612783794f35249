using System.Text;

namespace Micro.Suites.Fleet;

/// <summary>
/// Lets the ranks of one host measure one after another while waiting without spinning: MPI waits poll the CPU,
/// and a spinning peer would steal the cores the measuring rank is timing. Ranks learn who shares their host with
/// one allreduce (a hash of each rank's host name), then take turns through marker files in a run-specific folder
/// under OUT, sleeping between looks. Ranks on different hosts measure at the same time.
/// </summary>
public sealed class HostTurns
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private readonly IFleetComm _comm;
    private readonly string _dir;
    private readonly int[] _localRanks;
    private readonly TimeSpan _timeout;

    public HostTurns(IFleetComm comm, string outDir, TimeSpan timeout)
    {
        _comm = comm;
        _timeout = timeout;
        // Slot r: rank r's host hash; the last slot: rank 0's clock as the run id. Before anyone measures, so this
        // (spinning) collective costs nothing.
        var mine = new long[comm.Size + 1];
        mine[comm.Rank] = HostHash(comm.Host);
        if (comm.Rank == 0) mine[^1] = DateTime.UtcNow.Ticks;
        var all = comm.AllReduceMax(mine, timeout);
        var hashes = all[..^1];
        var runId = all[^1..];
        _localRanks = Enumerable.Range(0, comm.Size).Where(r => hashes[r] == hashes[comm.Rank]).ToArray();
        _dir = Path.Combine(outDir, "ranks", ".turns", $"{runId[0]:x}-{hashes[comm.Rank]:x}");
        Directory.CreateDirectory(_dir);
    }

    public IReadOnlyList<int> LocalRanks => _localRanks;

    /// <summary>Waits (sleeping) for the lower ranks of this host, runs the action, marks this rank done, then waits for the rest of the host.</summary>
    public void Take(Action measure)
    {
        WaitFor(_localRanks.Where(r => r < _comm.Rank), "its turn");
        try { measure(); }
        finally { File.WriteAllText(Marker(_comm.Rank), "done"); }
        WaitFor(_localRanks, "the other ranks on its host");
    }

    /// <summary>Removes this rank's marker (call once every rank has passed Take, e.g. after the gather).</summary>
    public void Cleanup()
    {
        try
        {
            File.Delete(Marker(_comm.Rank));
            foreach (var dir in new[] { _dir, Path.GetDirectoryName(_dir)! })
                if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private void WaitFor(IEnumerable<int> ranks, string what)
    {
        var deadline = DateTime.UtcNow + _timeout;
        var pending = ranks.ToList();
        while (pending.RemoveAll(r => File.Exists(Marker(r))) >= 0 && pending.Count > 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new FleetTimeoutException($"rank {_comm.Rank}: waited {_timeout.TotalSeconds:0} s for {what} (ranks {string.Join(",", pending)} on {_comm.Host} never finished)");
            Thread.Sleep(Poll);
        }
    }

    private string Marker(int rank) => Path.Combine(_dir, $"rank-{rank}.done");

    /// <summary>FNV-1a over the UTF-8 host name: the same on every rank (string.GetHashCode is randomised per process).</summary>
    public static long HostHash(string host)
    {
        ulong h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(host)) { h ^= b; h *= 1099511628211UL; }
        return (long)(h & long.MaxValue);
    }
}
