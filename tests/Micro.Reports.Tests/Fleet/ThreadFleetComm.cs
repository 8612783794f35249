using Micro.Suites.Fleet;

namespace Micro.Reports.Tests.Fleet;

/// <summary>An in-process "MPI world": one thread per rank, exchanging through shared slots and a barrier.</summary>
public sealed class ThreadWorld(int size, string[]? hosts = null)
{
    private readonly Barrier _barrier = new(size);
    private readonly long[][] _arrays = new long[size][];
    private readonly byte[][] _buffers = new byte[size][];

    public int Size => size;

    public IFleetComm Comm(int rank) => new RankComm(this, rank, hosts?[rank] ?? "testhost");

    private sealed class RankComm(ThreadWorld w, int rank, string host) : IFleetComm
    {
        public int Rank => rank;
        public int Size => w.Size;
        public int LocalRank => rank;
        public string Host => host;

        public long[] AllReduceMax(long[] values, TimeSpan timeout)
        {
            w._arrays[rank] = values;
            Sync(timeout);
            var max = Enumerable.Range(0, values.Length).Select(i => w._arrays.Max(a => a[i])).ToArray();
            Sync(timeout);
            return max;
        }

        public byte[][]? GatherFixed(byte[] mine, TimeSpan timeout)
        {
            w._buffers[rank] = mine;
            Sync(timeout);
            var all = rank == 0 ? w._buffers.Select(b => b.ToArray()).ToArray() : null;
            Sync(timeout);
            return all;
        }

        public void Barrier(TimeSpan timeout) => Sync(timeout);

        private void Sync(TimeSpan timeout)
        {
            if (!w._barrier.SignalAndWait(timeout)) throw new FleetCommException($"rank {rank}: barrier timed out");
        }

        public void Dispose() { }
    }
}
