using Micro.Devices.Native;
using Micro.Suites.Running;

namespace Micro.Suites.Collectives;

/// <summary>
/// `micro run`'s collectives entry: one process = one rank over NCCL (busbw is 0 with one rank, so this records
/// time, algbw and the small-message latency ceiling). Multi-rank runs use `mpirun ... micro collectives`.
/// Skips, without initialising MPI, where libnccl.so.2 or the CUDA runtime cannot be loaded, or when no MPI launcher
/// started this process (see LauncherDetection).
/// </summary>
public sealed class CollectivesSuite : ISuite
{
    public string Name => "collectives";
    public string Description => "NCCL all_reduce/all_gather/... on this GPU as one rank (nccl-tests semantics); multi-GPU: mpirun micro collectives";

    public SuiteOutcome Run(SuiteRequest request, IResultSink sink, ISuiteProgress progress)
    {
        if (request.Backends is { } b && !b.Contains("nccl")) return new SuiteOutcome(["collectives: backend nccl not selected"], []);
        // The same resolver (and MICRO_NCCL_PATH / MICRO_CUDART_PATH) that hands these files to the shim later.
        foreach (var lib in new[] { NativeLibraries.Nccl, NativeLibraries.Cudart })
            if (!NativeLibraries.TryLoad(lib, out var why)) return new SuiteOutcome([$"collectives: {why}"], []);
        if (!LauncherDetection.UnderLauncher())
            return new SuiteOutcome(["collectives: not started by mpirun/srun, so MPI is not initialised here; run `mpirun -np 1 micro run` or `mpirun -np N micro collectives --backend nccl`"], []);
        var options = new CollectivesOptions
        {
            Backend = CollectiveBackend.Nccl,
            Ops = request.Quick ? [CollectiveOp.AllReduce] : Enum.GetValues<CollectiveOp>(),
            MinBytes = 8,
            MaxBytes = request.SizeBytes ?? (request.Quick ? 1L << 20 : 256L << 20),
            StepFactor = request.Quick ? 32 : 4,
            Iterations = request.Iterations ?? (request.Quick ? 10 : 50),
            Warmup = request.Warmup ?? 5,
            TimeoutSeconds = request.CaseTimeout?.TotalSeconds ?? 60,
            Device = request.Extra.TryGetValue("device", out var d) && int.TryParse(d, out var o) ? o : -1,
        };
        Communicator comm;
        try
        {
            comm = Communicator.Create(CollectiveBackend.Nccl, null, options.Device, options.TimeoutSeconds);
        }
        catch (Exception e) when (e is CollectiveException or EntryPointNotFoundException)
        {
            return new SuiteOutcome([$"collectives: {e.Message.Split('\n')[0]}"], []);
        }
        using (comm)
        {
            progress.Start(Name, 1);
            var outcome = new CollectivesSweep(comm, options, null, sink, MpiProcess.Hostname()).Run();
            progress.Advance(Name, $"{outcome.Rows} rows, {outcome.WrongTotal} wrong elements");
            // MPI stays initialised: other parts of this process (fleet mode) may still use it.
            return new SuiteOutcome(outcome.Skipped.Select(s => "collectives: " + s).ToList(), outcome.Failures.Select(f => "collectives: " + f).ToList());
        }
    }
}
