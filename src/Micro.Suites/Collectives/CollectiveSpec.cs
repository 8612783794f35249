namespace Micro.Suites.Collectives;

/// <summary>Element counts of one collective at one size, as nccl-tests' getCollByteCount computes them.</summary>
/// <param name="Param">The count passed to the collective and printed in the `count` column.</param>
/// <param name="SendInPlaceOffset">Where the send data sits inside the receive buffer when in place (elements).</param>
/// <param name="RecvInPlaceOffset">Where the result sits inside the send buffer when in place (elements).</param>
public sealed record CollectiveCounts(long Send, long Recv, long Param, long SendInPlaceOffset, long RecvInPlaceOffset)
{
    /// <summary>nccl-tests' printed `size`: max(send bytes, recv bytes).</summary>
    public long SizeBytes(int elementSize) => Math.Max(Send, Recv) * elementSize;
}

/// <summary>
/// One row of the nccl-tests-shaped table: how a collective counts bytes, what its inputs and expected
/// outputs are, its bus-bandwidth factor, and how it runs. The runner and the sweep are shared by all.
/// </summary>
public sealed record CollectiveSpec
{
    public required CollectiveOp Op { get; init; }
    public string Name => CollectiveNames.Of(Op);
    public required bool Reduces { get; init; }
    public required bool Rooted { get; init; }
    /// <summary>(bytes of the -b/-e sweep, element size, nranks) -> counts.</summary>
    public required Func<long, int, int, CollectiveCounts> ByteCount { get; init; }
    /// <summary>Bytes algbw divides by: (param count, element size, nranks) -> bytes.</summary>
    public required Func<long, int, int, long> AlgBytes { get; init; }
    /// <summary>busbw = algbw x factor(nranks) (nccl-tests doc/PERFORMANCE.md).</summary>
    public required Func<int, double> BusFactor { get; init; }
    /// <summary>Expected value of receive element j on `rank` given the input function value(rank, element).</summary>
    public required Func<ExpectedArgs, double?> Expected { get; init; }
}

/// <summary>What an expected-value function needs; returns null for elements that carry no defined result (e.g. reduce on a non-root).</summary>
public readonly record struct ExpectedArgs(int Rank, int NRanks, int Root, long Param, long Element, RedOp RedOp, Func<int, long, double> Input);

public static class CollectiveTable
{
    private static long Aligned(long count, int nranks, int es) => count / nranks & ~(16L / es - 1);

    private static double Reduce(ExpectedArgs a, long element)
    {
        var acc = a.Input(0, element);
        for (var r = 1; r < a.NRanks; r++)
        {
            var v = a.Input(r, element);
            acc = a.RedOp switch { RedOp.Sum or RedOp.Avg => acc + v, RedOp.Prod => acc * v, RedOp.Max => Math.Max(acc, v), _ => Math.Min(acc, v) };
        }
        return a.RedOp == RedOp.Avg ? acc / a.NRanks : acc;
    }

    public static readonly IReadOnlyList<CollectiveSpec> All =
    [
        new()
        {
            Op = CollectiveOp.AllReduce, Reduces = true, Rooted = false,
            ByteCount = (bytes, es, n) => { var c = bytes / es; return new(c, c, c, 0, 0); },
            AlgBytes = (count, es, n) => count * es,
            BusFactor = n => 2.0 * (n - 1) / n,
            Expected = a => Reduce(a, a.Element),
        },
        new()
        {
            Op = CollectiveOp.AllGather, Reduces = false, Rooted = false,
            ByteCount = (bytes, es, n) => { var b = Aligned(bytes / es, n, es); return new(b, b * n, b, b, 0); },
            AlgBytes = (count, es, n) => count * es * n,
            BusFactor = n => (double)(n - 1) / n,
            Expected = a => a.Input((int)(a.Element / a.Param), a.Element % a.Param),
        },
        new()
        {
            Op = CollectiveOp.ReduceScatter, Reduces = true, Rooted = false,
            ByteCount = (bytes, es, n) => { var b = Aligned(bytes / es, n, es); return new(b * n, b, b, 0, b); },
            AlgBytes = (count, es, n) => count * es * n,
            BusFactor = n => (double)(n - 1) / n,
            Expected = a => Reduce(a, a.Rank * a.Param + a.Element),
        },
        new()
        {
            Op = CollectiveOp.Broadcast, Reduces = false, Rooted = true,
            ByteCount = (bytes, es, n) => { var c = bytes / es; return new(c, c, c, 0, 0); },
            AlgBytes = (count, es, n) => count * es,
            BusFactor = _ => 1,
            Expected = a => a.Input(a.Root, a.Element),
        },
        new()
        {
            Op = CollectiveOp.Reduce, Reduces = true, Rooted = true,
            ByteCount = (bytes, es, n) => { var c = bytes / es; return new(c, c, c, 0, 0); },
            AlgBytes = (count, es, n) => count * es,
            BusFactor = _ => 1,
            Expected = a => a.Rank == a.Root ? Reduce(a, a.Element) : null,
        },
        new()
        {
            Op = CollectiveOp.AllToAll, Reduces = false, Rooted = false,
            ByteCount = (bytes, es, n) => { var b = Aligned(bytes / es, n, es); return new(b * n, b * n, b, 0, 0); },
            AlgBytes = (count, es, n) => count * es * n,
            BusFactor = n => (double)(n - 1) / n,
            Expected = a => a.Input((int)(a.Element / a.Param), a.Rank * a.Param + a.Element % a.Param),
        },
        new()
        {
            Op = CollectiveOp.SendRecv, Reduces = false, Rooted = false,
            ByteCount = (bytes, es, n) => { var c = bytes / es; return new(c, c, c, 0, 0); },
            AlgBytes = (count, es, n) => count * es,
            BusFactor = _ => 1,
            Expected = a => a.Input((a.Rank - 1 + a.NRanks) % a.NRanks, a.Element),
        },
    ];

    public static CollectiveSpec Get(CollectiveOp op) => All.First(s => s.Op == op);
}
