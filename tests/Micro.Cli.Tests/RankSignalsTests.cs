using System.Diagnostics;
using Micro.Cli.Commands;
using Micro.Core.Results;
using Micro.Core.Results.Points;
using Micro.Core.Statistics;
using Micro.Suites.Running;

namespace Micro.Cli.Tests;

/// <summary>
/// Issue 21, class 8: SIGINT or SIGTERM on a collectives rank. The writing rank's sink closes (no point after the signal
/// is written), ceilings.json is written once from what was written, and the job is ended with 130/143 and one line;
/// a rank that writes nothing only ends the job. The job's end (MPI_Abort) is replaced by a recorder here; under
/// mpirun the same path was run by hand (docs/limits.md). Real SIGTERMs are sent to this test process (SIGINT would stop
/// the test runner itself), so the class runs alone: an in-process verb that measures would take them as its own.
/// </summary>
[Collection(SignalsToThisProcess.Name)]
public class RankSignalsTests
{
    private static MeasurementRecord Point(int i)
    {
        var time = Stats.Summarize([1e-3, 1.1e-3, 1.2e-3]);
        return new MeasurementRecord
        {
            Suite = "collectives", Case = "all_reduce", Backend = "mpi", Device = "host", DType = "float", Bytes = 1 << i,
            Collective = new CollectiveParameters { Op = "all_reduce", SizeBytes = 1L << i, Count = 1L << i, Nranks = 2, InPlace = false, Redop = "sum" },
            Time = time, Bandwidth = MeasurementFactory.BandwidthOf(1 << i, time), Verification = Verification.Ok(1, 0, "test"),
        };
    }

    private sealed class ListSink : IResultSink
    {
        public List<MeasurementRecord> Records { get; } = [];
        public void Add(MeasurementRecord record) => Records.Add(record);
    }

    [Theory]
    [InlineData("TERM", 143, 3, true)]
    [InlineData("TERM", 143, 0, true)]
    [InlineData("TERM", 143, 2, false)]
    public async Task ASignalClosesTheSinkWritesCeilingsOnceAndEndsTheJob(string signal, int code, int before, bool writes)
    {
        var sink = new ListSink();
        var ceilingsWrites = new List<int>();
        var ended = new TaskCompletionSource<(int Code, string Line)>();
        using (var signals = new RankSignals(writes ? 0 : 1, writes ? () => ceilingsWrites.Add(sink.Records.Count) : null,
                   (c, line) => ended.TrySetResult((c, line))))
        {
            var gate = signals.Gate(sink);
            for (var i = 0; i < before; i++) gate.Add(Point(i));
            using (var kill = Process.Start("kill", ["-" + signal, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
                await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            var (exit, line) = await ended.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Assert.Equal(code, exit);
            Assert.StartsWith($"micro: rank {(writes ? 0 : 1)}: interrupted by SIG{signal}", line);
            Assert.DoesNotContain('\n', line);
            // Nothing measured after the signal reaches the file; ceilings.json was derived from exactly what is there.
            gate.Add(Point(before));
            Assert.Equal(before, sink.Records.Count);
            if (!writes) Assert.Empty(ceilingsWrites);
            else if (before == 0) { Assert.Empty(ceilingsWrites); Assert.Contains("no point measured, nothing written", line); }
            else { Assert.Equal([before], ceilingsWrites); Assert.Contains($"{before} point(s) in results.jsonl, ceilings.json written from them", line); }
        }
    }

    [Fact]
    public async Task ASignalAfterTheRunsOwnCeilingsWritesThemNoMore()
    {
        var sink = new ListSink();
        var writes = 0;
        var ended = new TaskCompletionSource<string>();
        using var signals = new RankSignals(0, () => writes++, (_, line) => ended.TrySetResult(line));
        signals.Gate(sink).Add(Point(0));
        signals.WriteCeilings();
        using (var kill = Process.Start("kill", ["-TERM", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        var line = await ended.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(1, writes);
        Assert.Contains("ceilings.json already written", line);
    }
}

/// <summary>Tests that send signals to the test process: run after the parallel ones, alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SignalsToThisProcess
{
    public const string Name = "SIGTERM to this process";
}
