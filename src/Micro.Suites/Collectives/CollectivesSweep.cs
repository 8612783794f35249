using System.Globalization;
using Micro.Core;
using Micro.Core.Ceilings;
using Micro.Core.Results;
using Micro.Suites.Running;

namespace Micro.Suites.Collectives;

/// <summary>One printed row: out-of-place and in-place figures as nccl-tests computes them (time averaged over ranks).</summary>
public sealed record CollectiveRowFigures(double TimeUs, double AlgBwGBps, double BusBwGBps, long? Wrong);

public sealed record CollectivesOutcome(int Rows, long WrongTotal, IReadOnlyList<string> Failures, IReadOnlyList<string> Skipped);

/// <summary>
/// The nccl-tests loop in C#: for every collective, type, reduction and size, an out-of-place then an
/// in-place point through the BenchmarkRunner; every rank takes part, rank 0 prints the table and writes
/// results. Runs identically on every rank so the collective calls line up.
/// </summary>
public sealed class CollectivesSweep(Communicator comm, CollectivesOptions options, TextWriter? table, IResultSink? sink, string host)
{
    private const string Suite = "collectives";
    private bool _stalled;

    public CollectivesOutcome Run()
    {
        var failures = new List<string>();
        var skipped = new List<string>();
        long wrongTotal = 0;
        var rows = 0;
        var sizes = options.Sizes().ToList();
        using var buffers = new CollectiveBuffers(comm.Allocate(Math.Max(16, options.MaxBytes)), comm.Allocate(Math.Max(16, options.MaxBytes)));
        var runnerOptions = new RunnerOptions(options.Warmup, options.Iterations,
            TimeSpan.FromSeconds(options.TimeoutSeconds * (options.Warmup + options.Iterations + 2 * options.Checks + 4) + 30));
        foreach (var op in options.Ops)
        {
            var spec = CollectiveTable.Get(op);
            var busBws = new List<double>();
            long sectionWrong = 0;
            Print($"# Collective: {spec.Name}  ranks: {comm.NRanks}  backend: {CollectiveNames.Of(comm.Backend)}");
            foreach (var line in NcclTestsFormat.Header()) Print(line);
            foreach (var dtype in options.DTypes)
            {
                if (!comm.Supports(dtype))
                {
                    skipped.Add($"{spec.Name} {CollectiveNames.Of(dtype)}: not supported by the {CollectiveNames.Of(comm.Backend)} backend");
                    Print($"# skipped {CollectiveNames.Of(dtype)}: not supported by the {CollectiveNames.Of(comm.Backend)} backend");
                    continue;
                }
                foreach (var redop in spec.Reduces ? options.RedOps : [RedOp.Sum])
                {
                    WarmUpAllSizes(buffers, spec, dtype, redop, sizes);
                    foreach (var size in sizes)
                    {
                        var (outOfPlace, inPlace, count, sizeBytes) = MeasureRow(buffers, runnerOptions, spec, dtype, redop, size, sizes[^1]);
                        rows++;
                        var line = NcclTestsFormat.Preamble(sizeBytes, count, CollectiveNames.Of(dtype), spec.Reduces ? CollectiveNames.Of(redop) : "none", spec.Rooted ? options.Root : -1)
                                   + NcclTestsFormat.Body(outOfPlace.TimeUs, outOfPlace.AlgBwGBps, outOfPlace.BusBwGBps, outOfPlace.Wrong)
                                   + NcclTestsFormat.Body(inPlace.TimeUs, inPlace.AlgBwGBps, inPlace.BusBwGBps, inPlace.Wrong);
                        Print(line);
                        busBws.Add(outOfPlace.BusBwGBps);
                        busBws.Add(inPlace.BusBwGBps);
                        var w = (outOfPlace.Wrong ?? 0) + (inPlace.Wrong ?? 0);
                        sectionWrong += w;
                        if (w > 0) failures.Add($"{spec.Name} {CollectiveNames.Of(dtype)} {CollectiveNames.Of(redop)} {sizeBytes} B: {w} wrong elements");
                    }
                }
            }
            wrongTotal += sectionWrong;
            foreach (var line in NcclTestsFormat.Footer(sectionWrong, busBws.Count > 0 ? busBws.Average() : 0)) Print(line);
        }
        return new CollectivesOutcome(rows, wrongTotal, failures, skipped);
    }

    /// <summary>As nccl-tests: warm every size up once before any is timed (first-use costs: connections, kernels, pages).</summary>
    private void WarmUpAllSizes(CollectiveBuffers buffers, CollectiveSpec spec, CollectiveDType dtype, RedOp redop, IReadOnlyList<long> sizes)
    {
        if (options.Warmup == 0 || options.TestStallRank is not null) return;
        foreach (var size in sizes)
        {
            using var op = new CollectiveOperation(comm, buffers, new CollectivePoint(spec, dtype, redop, spec.Rooted ? options.Root : 0, size, false), 0, 0);
            op.Prepare();
            op.RunBatch(options.Warmup);
        }
    }

    private void Print(string line)
    {
        if (table is null) return;
        table.WriteLine(line);
        table.Flush();
    }

    private (CollectiveRowFigures outOfPlace, CollectiveRowFigures inPlace, long count, long sizeBytes) MeasureRow(
        CollectiveBuffers buffers, RunnerOptions runnerOptions, CollectiveSpec spec, CollectiveDType dtype, RedOp redop, long size, long largest)
    {
        var figures = new CollectiveRowFigures[2];
        long count = 0, sizeBytes = 0;
        for (var placement = 0; placement < 2; placement++)
        {
            var point = new CollectivePoint(spec, dtype, redop, spec.Rooted ? options.Root : 0, size, placement == 1);
            using var op = new CollectiveOperation(comm, buffers, point, options.Checks, options.GraphLaunches, options.TestCorruptRank == comm.Rank);
            count = op.Counts.Param;
            sizeBytes = op.SizeBytes;
            if (options.TestStallRank == comm.Rank && !_stalled)
            {
                _stalled = true;
                Console.Error.WriteLine($"micro: rank {comm.Rank}: --test-stall-rank: sleeping {options.TestStallSeconds} s before {spec.Name}");
                Thread.Sleep(TimeSpan.FromSeconds(options.TestStallSeconds));
            }
            try
            {
                figures[placement] = MeasurePoint(runnerOptions, op, point, sizeBytes, size == largest);
            }
            catch (CaseTimeoutException)
            {
                // The runner's worker thread is still inside a call on these buffers and this communicator:
                // they must outlive it, so they are leaked on purpose (the caller ends the job).
                buffers.Send.Abandon();
                buffers.Recv.Abandon();
                comm.Abandon();
                Console.Error.WriteLine($"micro: rank {comm.Rank}: {spec.Name} {point.Placement} is still running on an abandoned thread; its communicator and buffers are left allocated");
                throw;
            }
            catch (CollectiveTimeoutException)
            {
                Print(NcclTestsFormat.Preamble(sizeBytes, count, CollectiveNames.Of(dtype), spec.Reduces ? CollectiveNames.Of(redop) : "none", spec.Rooted ? options.Root : -1)
                      + $"  timed out ({point.Placement}, {options.TimeoutSeconds:0.###} s watchdog)");
                throw;
            }
        }
        return (figures[0], figures[1], count, sizeBytes);
    }

    private CollectiveRowFigures MeasurePoint(RunnerOptions runnerOptions, CollectiveOperation op, CollectivePoint point, long sizeBytes, bool largest)
    {
        var n = comm.NRanks;
        var es = CollectiveNames.SizeOf(point.DType);
        var algBytes = point.Spec.AlgBytes(op.Counts.Param, es, n);
        var factor = point.Spec.BusFactor(n);
        var ceiling = CeilingFor(point, sizeBytes, largest);
        var descriptor = new CaseDescriptor
        {
            Suite = Suite, Case = point.Spec.Name, Backend = CollectiveNames.Of(comm.Backend), Device = comm.DeviceName,
            DType = CollectiveNames.Of(point.DType),
            Bytes = (long)Math.Round(algBytes * factor),
            BytesCounted = $"bus bytes = algbw bytes {algBytes} x busbw factor {factor.ToString("0.######", CultureInfo.InvariantCulture)} (nccl-tests PERFORMANCE.md); bandwidth is busbw",
            Ceiling = ceiling,
            Label = comm.Backend == CollectiveBackend.Mpi ? "MPI over host memory" : null,
        };
        var list = new ListSink();
        var record = new BenchmarkRunner(runnerOptions, list).Measure(descriptor, op);

        // nccl-tests reports its batch mean time per op averaged over ranks (-a 1), or rank 0's, the min or the max (-a 0/2/3).
        var mean = op.BatchMeanSeconds;
        var across = new[] { mean, mean, mean };
        var min = new[] { across[0] };
        var max = new[] { across[1] };
        var sum = new[] { across[2] };
        MpiProcess.AllReduce(min, RedOp.Min, comm.TimeoutSeconds);
        MpiProcess.AllReduce(max, RedOp.Max, comm.TimeoutSeconds);
        MpiProcess.AllReduce(sum, RedOp.Sum, comm.TimeoutSeconds);
        var avg = options.Average switch
        {
            TimeAcrossRanks.Rank0 => mean, // rank 0 prints and writes: its own time
            TimeAcrossRanks.Min => min[0],
            TimeAcrossRanks.Max => max[0],
            _ => sum[0] / n,
        };
        var algBw = Units.GBps(algBytes, avg);
        var busBw = algBw * factor;
        long? wrong = op.Verifiable && options.Checks > 0 ? record.Verification.Wrong : null;

        if (sink is not null)
        {
            var inv = CultureInfo.InvariantCulture;
            var typed = new Micro.Core.Results.Points.CollectiveParameters
            {
                Op = point.Spec.Name, SizeBytes = sizeBytes, Count = op.Counts.Param, Nranks = n, InPlace = point.InPlace,
                Redop = point.Spec.Reduces ? CollectiveNames.Of(point.RedOp) : "none", Root = point.Spec.Rooted ? point.Root : null,
            };
            var parameters = new Dictionary<string, string>
            {
                ["alg_bytes"] = algBytes.ToString(inv), ["bus_factor"] = factor.ToString("R", inv),
                ["time_us_per_iteration_mean"] = (record.Time.Mean * 1e6).ToString("R", inv),
                ["time_us_mean_rank_avg"] = (avg * 1e6).ToString("R", inv),
                ["time_us_mean_rank_min"] = (min[0] * 1e6).ToString("R", inv),
                ["time_us_mean_rank_max"] = (max[0] * 1e6).ToString("R", inv),
                ["algbw_gbps"] = algBw.ToString("R", inv), ["busbw_gbps"] = busBw.ToString("R", inv),
                ["graph_launches"] = options.GraphLaunches.ToString(inv), ["checks"] = options.Checks.ToString(inv),
                ["iterations"] = options.Iterations.ToString(inv), ["library"] = comm.Description,
            };
            var final = (record with { Parameters = parameters, Rank = comm.Rank, Host = host }).WithPoint(typed);
            // Latency candidates are judged by time: CeilingsBuilder reads bandwidth first when present.
            if (ceiling == CeilingNames.CollectiveLatency) final = final with { Bandwidth = null };
            sink.Add(final);
        }
        return new CollectiveRowFigures(avg * 1e6, algBw, busBw, wrong);
    }

    /// <summary>all_reduce out-of-place only: small messages (&lt;= 8 KiB) are latency candidates, the largest size a busbw candidate.</summary>
    private string? CeilingFor(CollectivePoint point, long sizeBytes, bool largest)
    {
        if (point.Spec.Op != CollectiveOp.AllReduce || point.InPlace) return null;
        if (largest && comm.NRanks > 1 && sizeBytes > 8192) return CeilingNames.CollectiveBusBw;
        return sizeBytes <= 8192 && sizeBytes > 0 ? CeilingNames.CollectiveLatency : null;
    }
}
