using Micro.Core.Results;
using Micro.Suites.Running;

namespace Micro.Suites.Collectives;

/// <summary>Send and receive buffers shared by every row of a sweep (allocated once at the largest size, as nccl-tests does).</summary>
public sealed class CollectiveBuffers(CollectiveBuffer send, CollectiveBuffer recv) : IDisposable
{
    public CollectiveBuffer Send { get; } = send;
    public CollectiveBuffer Recv { get; } = recv;
    public void Dispose() { Send.Dispose(); Recv.Dispose(); }
}

/// <summary>The settings of one out-of-place or in-place point.</summary>
public sealed record CollectivePoint(CollectiveSpec Spec, CollectiveDType DType, RedOp RedOp, int Root, long SweepBytes, bool InPlace)
{
    public string Placement => InPlace ? "in-place" : "out-of-place";
}

/// <summary>
/// One collective point for the BenchmarkRunner: Prepare writes seeded inputs, RunBatch times back-to-back
/// iterations (device events or MPI_Wtime), Verify re-seeds, runs once per check and counts wrong elements
/// over all ranks. A missed deadline becomes a CollectiveTimeoutException naming rank, op and size.
/// </summary>
public sealed class CollectiveOperation : IBatchTimedOperation
{
    private const long ChunkElements = 4 << 20;
    private readonly Communicator _comm;
    private readonly CollectiveBuffers _buf;
    private readonly CollectivePoint _p;
    private readonly int _checks;
    private readonly int _graphLaunches;
    private readonly int _es;
    private readonly bool _corrupt;

    public CollectiveOperation(Communicator comm, CollectiveBuffers buffers, CollectivePoint point, int checks, int graphLaunches, bool corruptForTest = false)
    {
        _corrupt = corruptForTest;
        _comm = comm;
        _buf = buffers;
        _p = point;
        _checks = checks;
        _graphLaunches = graphLaunches;
        _es = CollectiveNames.SizeOf(point.DType);
        Counts = point.Spec.ByteCount(point.SweepBytes, _es, comm.NRanks);
    }

    public CollectiveCounts Counts { get; }

    /// <summary>nccl-tests' time of the last batch: host clock over enqueue-all + one wait, divided by the iterations.</summary>
    public double BatchMeanSeconds { get; private set; }
    public long SizeBytes => Counts.SizeBytes(_es);
    public string Timer => _comm.Backend == CollectiveBackend.Mpi ? "mpi-wtime"
        : _graphLaunches > 0 ? "host-clock (graph replay: one mean per batch, no per-iteration spread)"
        : "device-events (per-iteration spread); host-clock batch mean as nccl-tests";

    /// <summary>In-place alltoall over grouped send/recv overwrites data still being sent: nccl-tests reports N/A for it.</summary>
    public bool Verifiable => !(_p.InPlace && _p.Spec.Op == CollectiveOp.AllToAll && _comm.Backend != CollectiveBackend.Mpi);

    private (IntPtr send, IntPtr recv, CollectiveBuffer input, long inputOffset, CollectiveBuffer output, long outputOffset) Layout()
    {
        if (!_p.InPlace) return (_buf.Send.Pointer, _buf.Recv.Pointer, _buf.Send, 0, _buf.Recv, 0);
        var baseP = _buf.Recv.Pointer;
        // all_gather: send = recv + rank*count; reduce_scatter: recv = send + rank*count; the rest send == recv.
        var sendOff = Counts.SendInPlaceOffset == 0 ? 0 : Counts.Param * _comm.Rank * _es;
        var recvOff = Counts.RecvInPlaceOffset == 0 ? 0 : Counts.Param * _comm.Rank * _es;
        return (baseP + (nint)sendOff, baseP + (nint)recvOff, _buf.Recv, sendOff, _buf.Recv, recvOff);
    }

    public void Prepare() => WriteInputs(0);

    private void WriteInputs(int rep)
    {
        var (_, _, input, inOff, output, outOff) = Layout();
        var pattern = new InputPattern(_comm.NRanks, _p.DType, _p.RedOp, rep);
        if (!_p.InPlace) Fill(output, outOff, Counts.Recv, _ => -1);
        Fill(input, inOff, Counts.Send, j => pattern.Value(_comm.Rank, j));
    }

    private void Fill(CollectiveBuffer dst, long byteOffset, long count, Func<long, double> value)
    {
        var chunk = new byte[(int)Math.Min(count, ChunkElements) * _es];
        for (long start = 0; start < count; start += ChunkElements)
        {
            var n = (int)Math.Min(ChunkElements, count - start);
            var span = chunk.AsSpan(0, n * _es);
            for (var i = 0; i < n; i++) ElementCodec.Put(span, i, _p.DType, value(start + i));
            _comm.Write(dst, byteOffset + start * _es, span);
        }
    }

    public double RunTimed() => RunBatch(1)[0];

    public IReadOnlyList<double> RunBatch(int iterations)
    {
        var (send, recv, _, _, _, _) = Layout();
        var samples = new double[iterations];
        var rc = _comm.TimeBatch(_p.Spec.Op, send, recv, Counts.Param, _p.DType, _p.RedOp, _p.Root, iterations, _graphLaunches, samples, out var got, out var mean);
        Check(rc);
        BatchMeanSeconds = mean;
        return samples.AsSpan(0, got).ToArray();
    }

    private void Check(int rc)
    {
        if (rc == 0) return;
        var detail = Communicator.LastError;
        if (rc == CollectiveException.StatusTimedOut)
            throw new CollectiveTimeoutException(_comm.Rank, _p.Spec.Name, SizeBytes, _p.Placement, _comm.TimeoutSeconds, detail);
        throw new CollectiveException(rc, $"rank {_comm.Rank}: {_p.Spec.Name} of {SizeBytes} bytes ({_p.Placement}): {detail}");
    }

    public Verification Verify()
    {
        if (_checks <= 0) return Verification.NotApplicable("check disabled (-c 0)");
        long wrong = 0, checkedCount = 0;
        double maxError = 0;
        for (var rep = 1; rep <= _checks; rep++)
        {
            WriteInputs(rep);
            var (send, recv, _, _, output, outOff) = Layout();
            Check(_comm.Run(_p.Spec.Op, send, recv, Counts.Param, _p.DType, _p.RedOp, _p.Root));
            Check(_comm.Sync());
            if (_corrupt && Counts.Recv > 0) CorruptOneElement(output, outOff);
            var local = Verifiable ? Compare(output, outOff, rep, ref maxError) : (0, 0);
            var totals = new[] { local.wrong, local.checkedCount };
            MpiProcess.AllReduce(totals, RedOp.Sum, _comm.TimeoutSeconds);
            var err = new[] { maxError };
            MpiProcess.AllReduce(err, RedOp.Max, _comm.TimeoutSeconds);
            maxError = err[0];
            wrong = totals[0];
            checkedCount += totals[1];
            if (wrong > 0) break; // as nccl-tests: the first check that finds errors ends the checking
        }
        if (!Verifiable)
            return Verification.NotApplicable("in-place alltoall over grouped send/recv is not defined (nccl-tests prints N/A)");
        const string method = "exact match against seeded small-integer inputs reduced on the host, summed over ranks";
        return wrong == 0 ? Verification.Ok(checkedCount, maxError, method) : Verification.Failed(checkedCount, wrong, maxError, method);
    }

    private void CorruptOneElement(CollectiveBuffer output, long byteOffset)
    {
        var one = new byte[_es];
        ElementCodec.Put(one, 0, _p.DType, 99);
        _comm.Write(output, byteOffset, one);
    }

    private (long wrong, long checkedCount) Compare(CollectiveBuffer output, long byteOffset, int rep, ref double maxError)
    {
        var pattern = new InputPattern(_comm.NRanks, _p.DType, _p.RedOp, rep);
        Func<int, long, double> input = pattern.Value;
        // The output region: reduce_scatter's result is Param elements, the others Recv elements.
        var count = _p.Spec.Op == CollectiveOp.ReduceScatter ? Counts.Param : Counts.Recv;
        var chunk = new byte[(int)Math.Min(Math.Max(count, 1), ChunkElements) * _es];
        long wrong = 0, checkedCount = 0;
        for (long start = 0; start < count; start += ChunkElements)
        {
            var n = (int)Math.Min(ChunkElements, count - start);
            var span = chunk.AsSpan(0, n * _es);
            _comm.Read(output, byteOffset + start * _es, span);
            for (var i = 0; i < n; i++)
            {
                var want = _p.Spec.Expected(new ExpectedArgs(_comm.Rank, _comm.NRanks, _p.Root, Counts.Param, start + i, _p.RedOp, input));
                if (want is null) continue;
                checkedCount++;
                var got = ElementCodec.Get(span, i, _p.DType);
                if (got != want.Value && !(Math.Abs(got - want.Value) <= AvgTolerance(want.Value)))
                {
                    wrong++;
                    var e = Math.Abs(got - want.Value);
                    maxError = double.IsNaN(e) ? double.PositiveInfinity : Math.Max(maxError, e);
                }
            }
        }
        return (wrong, checkedCount);
    }

    /// <summary>
    /// ncclAvg premultiplies each value by 1/nranks before summing, which rounds when nranks is not a power of two:
    /// nranks rounding steps of the type's epsilon are allowed for avg (integers divide exactly). Other ops are exact.
    /// </summary>
    private double AvgTolerance(double want)
    {
        if (_p.RedOp != RedOp.Avg) return -1;
        var eps = _p.DType switch { CollectiveDType.BFloat16 => 1.0 / 256, CollectiveDType.Half => 1.0 / 2048, CollectiveDType.Float => 1.0 / (1 << 23), _ => 0 };
        return _comm.NRanks * eps * Math.Abs(want);
    }

    public void Dispose() { }
}
