using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Core.Results;
using Micro.Suites.Collectives;
using Micro.Suites.Running;

namespace Micro.Cli.Commands;

/// <summary>
/// Runs a sweep on this rank. A watchdog timeout (shim deadline or the runner's case budget) prints a
/// line naming rank, op and size, and ends the whole job with MPI_Abort(3): peers blocked in a
/// collective cannot be released any other way.
/// </summary>
public static class CollectivesRun
{
    /// <param name="candidates">Backends to try in order (one, or auto's NCCL, RCCL, MPI): a missing library moves on to the next.</param>
    /// <param name="forBackend">The options for the backend about to be used (its rules checked: UsageException).</param>
    public static int Execute(CollectivesOptions options, IReadOnlyList<CollectiveBackend> candidates, Func<CollectivesOptions, CollectivesOptions> forBackend,
        string? outDir, string commandLine, TextWriter stdout)
    {
        var code = ExecuteOnComm(options, candidates, forBackend, outDir, commandLine, stdout);
        // After the communicator is gone (its MPI communicator must be freed before MPI_Finalize).
        if (!MpiProcess.TryFinalize(out var why))
        {
            Console.Error.WriteLine($"micro: collectives: {why}");
            if (code == ExitCodes.Ok) code = ExitCodes.Failed;
        }
        return code;
    }

    private static int ExecuteOnComm(CollectivesOptions requested, IReadOnlyList<CollectiveBackend> candidates, Func<CollectivesOptions, CollectivesOptions> forBackend,
        string? outDir, string commandLine, TextWriter stdout)
    {
        Communicator? comm = null;
        var options = requested;
        var missing = new List<string>();
        foreach (var backend in candidates)
        {
            options = forBackend(requested with { Backend = backend });
            try
            {
                using (new StartupWatchdog(options.TimeoutSeconds, outDir))
                    comm = Communicator.Create(options.Backend, options.LibraryPath, options.Device, options.TimeoutSeconds);
                break;
            }
            catch (CollectiveException e) when (e.Status is CollectiveException.StatusNoLibrary && backend != candidates[^1])
            {
                missing.Add(CollectiveNames.Of(backend));
            }
            catch (CollectiveException e)
            {
                Console.Error.WriteLine($"micro: collectives: {e.Message}");
                return e.Status is CollectiveException.StatusNoLibrary or CollectiveException.StatusUnsupported ? ExitCodes.Usage : ExitCodes.Failed;
            }
        }
        if (comm is null) return ExitCodes.Failed; // unreachable: the last candidate returns above
        if (missing.Count > 0 && comm.Rank == 0)
            stdout.WriteLine($"# backend auto: no {string.Join(", no ", missing)} library here; measuring {CollectiveNames.Of(comm.Backend)}" +
                             (comm.Backend == CollectiveBackend.Mpi ? " (host memory, not a GPU figure)" : ""));
        using (comm)
        {
            // Every rank sees the same size and option, so every rank stops here alike; rank 0 says why.
            if (CollectivesArgs.CheckRoot(options, comm.NRanks) is { } bad)
            {
                if (comm.Rank == 0) Console.Error.WriteLine($"micro: collectives: {bad}");
                return ExitCodes.Usage;
            }
            var host = MpiProcess.Hostname();
            var root = comm.Rank == 0;
            ResultsWriter? writer = null;
            var writes = root && outDir is not null;
            // From here a signal ends the job with ceilings.json consistent with results.jsonl on the rank that writes.
            using var signals = new RankSignals(comm.Rank, writes ? () => WriteCeilings(outDir!, commandLine, comm) : null);
            try
            {
                if (writes) writer = new ResultsWriter(outDir!);
                var table = root ? stdout : null;
                WriteBanner(table, comm, options, host);
                var sweep = new CollectivesSweep(comm, options, table, writer is null ? null : signals.Gate(new WriterSink(writer)), host);
                var outcome = sweep.Run();
                if (writer is not null) signals.WriteCeilings();
                foreach (var s in outcome.Skipped) table?.WriteLine($"# skipped: {s}");
                if (outcome.Rows == 0)
                {
                    if (root) Console.Error.WriteLine($"micro: collectives: nothing was measured: {string.Join("; ", outcome.Skipped.Take(3))}");
                    return ExitCodes.NothingMeasured;
                }
                if (outcome.WrongTotal > 0)
                {
                    if (root) Console.Error.WriteLine($"micro: collectives: {outcome.Failures.Count} row(s) failed verification: {string.Join("; ", outcome.Failures.Take(5))}");
                    return ExitCodes.Failed;
                }
                return ExitCodes.Ok;
            }
            catch (CollectiveTimeoutException e)
            {
                MpiProcess.AbortJob(ExitCodes.Timeout, "micro: " + e.Message + AbortNote(comm));
                return ExitCodes.Timeout;
            }
            catch (CaseTimeoutException e)
            {
                MpiProcess.AbortJob(ExitCodes.Timeout, $"micro: rank {comm.Rank}: {e.Message}{AbortNote(comm)}");
                return ExitCodes.Timeout;
            }
            catch (CollectiveException e)
            {
                // Peers may be waiting inside a collective for this rank: end the job rather than hang it.
                MpiProcess.AbortJob(ExitCodes.Failed, $"micro: collectives: {e.Message}{AbortNote(comm)}");
                return ExitCodes.Failed;
            }
            finally
            {
                writer?.Dispose();
            }
        }
    }

    /// <summary>Aborts the communicator (ncclCommAbort; nothing for MPI) before the job is ended; says so when that failed.</summary>
    private static string AbortNote(Communicator comm) => comm.TryAbort(out var why) ? "" : $" (communicator abort failed too: {why})";

    /// <summary>Every rank takes part (the device list is gathered); only rank 0 has a writer.</summary>
    private static void WriteBanner(TextWriter? t, Communicator comm, CollectivesOptions o, string host)
    {
        var mine = $"#  Rank {comm.Rank,2} Group  0 Pid {Environment.ProcessId,6} on {host,10} device {comm.Device,2} [n/a] {comm.DeviceName}";
        var devices = MpiProcess.GatherStrings(mine, comm.TimeoutSeconds);
        if (t is null) return;
        t.WriteLine($"# micro collectives: backend {CollectiveNames.Of(o.Backend)}  {comm.Description}");
        var step = o.StepFactor > 1 ? $"{o.StepFactor}(factor)" : $"{o.StepBytes}(bytes)";
        t.WriteLine($"# nThread 1 nGpus 1 minBytes {o.MinBytes} maxBytes {o.MaxBytes} step: {step} warmup iters: {o.Warmup} iters: {o.Iterations} agg iters: 1 validation: {o.Checks} graph: {o.GraphLaunches}");
        t.WriteLine("#");
        t.WriteLine("# Using devices");
        foreach (var line in devices ?? []) t.WriteLine(line);
    }

    private static void WriteCeilings(string outDir, string commandLine, Communicator comm)
    {
        var context = RunContext.Capture(commandLine) with
        {
            Libraries = new Dictionary<string, string> { ["collectives"] = comm.Description },
        };
        var device = new DeviceInfo
        {
            Name = comm.DeviceName, Kind = comm.Backend == CollectiveBackend.Mpi ? DeviceKind.Host : DeviceKind.Gpu,
            Source = "micro_coll " + CollectiveNames.Of(comm.Backend), Ordinal = Math.Max(0, comm.Device),
        };
        CeilingsService.Update(outDir, context with { Devices = [device] });
    }
}
