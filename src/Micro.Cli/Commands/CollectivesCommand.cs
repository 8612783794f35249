using System.CommandLine;
using Micro.Core;
using Micro.Suites.Collectives;

namespace Micro.Cli.Commands;

/// <summary>
/// `micro collectives`: nccl-tests' flags and table over MPI / NCCL / RCCL. Every rank runs this verb
/// (mpirun -np N micro collectives ...); rank 0 prints and writes results.
/// </summary>
public static class CollectivesCommand
{
    public static Command Build()
    {
        var cmd = new Command("collectives", "Collective bandwidth and latency (nccl-tests semantics) over MPI, NCCL or RCCL; run one process per rank under mpirun/srun. " +
                                             "Its options keep nccl-tests' own names and letters (-b/-e/-f/-i sizes, -o op, -d datatype, -c check, -r root, -G graph), so they differ from the other verbs' (-o is --op here; --out has no letter)");
        var backend = new Option<string>("--backend") { Description = "mpi (host memory), nccl or rccl", DefaultValueFactory = _ => "nccl" };
        var colls = new Option<string>("--coll") { Description = "Collectives, comma-separated or 'all': all_reduce, all_gather, reduce_scatter, broadcast, reduce, alltoall, sendrecv", DefaultValueFactory = _ => "all_reduce" };
        var minBytes = new Option<string>("--minbytes", "-b") { Description = "Smallest size (nccl-tests -b; binary suffixes K/M/G)", DefaultValueFactory = _ => "32M" };
        var maxBytes = new Option<string>("--maxbytes", "-e") { Description = "Largest size (nccl-tests -e)", DefaultValueFactory = _ => "32M" };
        var factor = new Option<long>("--stepfactor", "-f") { Description = "Multiply the size by this each step (nccl-tests -f)", DefaultValueFactory = _ => 2 };
        var stepBytes = new Option<string?>("--stepbytes", "-i") { Description = "Add this many bytes each step instead of -f (nccl-tests -i)" };
        var iters = CommonOptions.Iterations();
        var warmup = CommonOptions.Warmup();
        var check = new Option<int>("--check", "-c") { Description = "Verification runs per point (nccl-tests -c; 0 disables)", DefaultValueFactory = _ => 1 };
        var redop = new Option<string>("--op", "-o") { Description = "Reduction op as nccl-tests -o: sum, prod, max, min, comma-separated or 'all'", DefaultValueFactory = _ => "sum" };
        var dtype = new Option<string>("--datatype", "-d") { Description = "float, half, bfloat16, int32, comma-separated or 'all' (MPI: float, int32)", DefaultValueFactory = _ => "float" };
        var root = new Option<int>("--root", "-r") { Description = "Root rank of broadcast and reduce", DefaultValueFactory = _ => 0 };
        var graph = new Option<int>("--cudagraph", "-G") { Description = "Capture the timed iterations in a CUDA/HIP graph and launch it N times (nccl-tests -G; NCCL/RCCL only)", DefaultValueFactory = _ => 0 };
        var timeout = new Option<double>("--timeout") { Description = "Watchdog per collective in seconds, (0, 1e6]: past it the communicator is aborted and every rank exits (code 3)", DefaultValueFactory = _ => 120 };
        var ncclPath = new Option<string?>("--nccl-path") { Description = "libnccl.so.2 / librccl.so.1 to load (default: MICRO_NCCL_PATH / MICRO_RCCL_PATH, then the loader)" };
        var device = new Option<int>("--device") { Description = "GPU ordinal (default: local rank modulo visible GPUs)", DefaultValueFactory = _ => -1 };
        var outDir = CommonOptions.Out(letter: false);
        var stallRank = new Option<int?>("--test-stall-rank") { Description = "TEST ONLY: this rank sleeps before its first collective, so the others must hit the watchdog" };
        var stallSeconds = new Option<double>("--test-stall-seconds") { Description = "TEST ONLY: how long --test-stall-rank sleeps", DefaultValueFactory = _ => 600 };
        var corruptRank = new Option<int?>("--test-corrupt-rank") { Description = "TEST ONLY: this rank overwrites one received element before each check (proves #wrong and the exit code)" };
        foreach (var o in new Option[] { backend, colls, minBytes, maxBytes, factor, stepBytes, iters, warmup, check, redop, dtype, root, graph, timeout, ncclPath, device, outDir, stallRank, stallSeconds, corruptRank })
            cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var options = new CollectivesOptions
            {
                Backend = CollectivesArgs.Backend(parse.GetValue(backend)!),
                Ops = CollectivesArgs.List(parse.GetValue(colls)!, "--coll", Enum.GetValues<CollectiveOp>(), s => CollectiveNames.TryParseOp(s, out var v) ? v : null),
                DTypes = CollectivesArgs.List(parse.GetValue(dtype)!, "--datatype", Enum.GetValues<CollectiveDType>(), s => CollectiveNames.TryParseDType(s, out var v) ? v : null),
                RedOps = CollectivesArgs.List(parse.GetValue(redop)!, "--op", Enum.GetValues<RedOp>(), s => CollectiveNames.TryParseRedOp(s, out var v) ? v : null),
                MinBytes = CollectivesArgs.Bytes(parse.GetValue(minBytes)!, "--minbytes"),
                MaxBytes = CollectivesArgs.Bytes(parse.GetValue(maxBytes)!, "--maxbytes"),
                StepFactor = parse.GetValue(stepBytes) is null ? parse.GetValue(factor) : 1,
                StepBytes = parse.GetValue(stepBytes) is { } sb ? CollectivesArgs.Bytes(sb, "--stepbytes") : 0,
                Iterations = parse.GetValue(iters) ?? 20,
                Warmup = parse.GetValue(warmup) ?? 5,
                Checks = parse.GetValue(check),
                Root = parse.GetValue(root),
                GraphLaunches = parse.GetValue(graph),
                TimeoutSeconds = parse.GetValue(timeout),
                LibraryPath = parse.GetValue(ncclPath),
                Device = parse.GetValue(device),
                TestStallRank = parse.GetValue(stallRank),
                TestStallSeconds = parse.GetValue(stallSeconds),
                TestCorruptRank = parse.GetValue(corruptRank),
            };
            CollectivesArgs.Validate(options);
            CollectivesArgs.CheckDTypes(parse.GetValue(dtype)!, options);
            return CollectivesRun.Execute(options, MeasureOptions.CheckedOut(parse, outDir), Environment.CommandLine, parse.InvocationConfiguration.Output);
        });
        cmd.Subcommands.Add(CollectivesImportCommand.Build());
        return cmd;
    }
}

/// <summary>Turns option text into typed settings; bad values become one-line UsageExceptions (exit 2).</summary>
public static class CollectivesArgs
{
    public static CollectiveBackend Backend(string s) =>
        CollectiveNames.TryParseBackend(s, out var b) ? b : throw new UsageException($"--backend: '{s}' is not mpi, nccl or rccl");

    public static long Bytes(string s, string flag) =>
        Units.TryParseBytes(s, out var b) ? b : throw new UsageException($"{flag}: '{s}' is not a byte count (e.g. 8, 64K, 32M, 8G)");

    public static IReadOnlyList<T> List<T>(string text, string flag, IReadOnlyList<T> all, Func<string, T?> parse) where T : struct
    {
        if (string.Equals(text.Trim(), "all", StringComparison.OrdinalIgnoreCase)) return all;
        var result = new List<T>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var v = parse(part) ?? throw new UsageException($"{flag}: unknown value '{part}'");
            if (!result.Contains(v)) result.Add(v);
        }
        return result.Count > 0 ? result : throw new UsageException($"{flag}: no value given");
    }

    public const int MaxChecks = 1000, MaxGraphLaunches = 1_000_000, MaxRank = 1 << 20, MaxSizes = 4096;
    public const long MaxStepFactor = 1 << 20, MaxBytes = 1L << 40;

    public static void Validate(CollectivesOptions o)
    {
        if (o.MinBytes > o.MaxBytes) throw new UsageException($"--minbytes {o.MinBytes} is larger than --maxbytes {o.MaxBytes}");
        if (o.StepFactor <= 1 && o.StepBytes <= 0) throw new UsageException("--stepfactor must be > 1 or --stepbytes > 0");
        if (o.StepFactor > 1 && o.MinBytes == 0 && o.MaxBytes > 0) throw new UsageException("--minbytes 0 with a step factor never grows; start at 1 or more");
        if (o.StepFactor <= 1 && o.StepBytes > 0 && (o.MaxBytes - o.MinBytes) / o.StepBytes >= MaxSizes)
            throw new UsageException($"-b {o.MinBytes} -e {o.MaxBytes} -i {o.StepBytes} plans {(o.MaxBytes - o.MinBytes) / o.StepBytes + 1:N0} sizes, more than the {MaxSizes:N0} limit (a -f 2 sweep from 8 B to 8 GiB has 31); raise -i or use -f");
        CommonOptions.Range(o.Iterations, 1, CommonOptions.MaxIterations, "--iterations");
        CommonOptions.Range(o.Warmup, 0, CommonOptions.MaxWarmup, "--warmup");
        CommonOptions.Range(o.Checks, 0, MaxChecks, "--check");
        CommonOptions.Range(o.GraphLaunches, 0, MaxGraphLaunches, "--cudagraph");
        CommonOptions.Range(o.StepFactor, 1, MaxStepFactor, "--stepfactor");
        CommonOptions.Range(o.Root, 0, MaxRank, "--root");
        CommonOptions.Range(o.MaxBytes, 0, MaxBytes, "--maxbytes");
        CommonOptions.Seconds(o.TimeoutSeconds, "--timeout");
        if (o.GraphLaunches > 0 && o.Backend == CollectiveBackend.Mpi) throw new UsageException("--cudagraph needs --backend nccl or rccl");
        if (o.Root < 0) throw new UsageException($"--root {o.Root}: must be a rank, 0 or more");
    }

    /// <summary>MPI has no 16-bit floats: naming one with --backend mpi is an error (with 'all' the others are measured and it is skipped).</summary>
    public static void CheckDTypes(string text, CollectivesOptions o)
    {
        if (o.Backend != CollectiveBackend.Mpi || string.Equals(text.Trim(), "all", StringComparison.OrdinalIgnoreCase)) return;
        var unsupported = o.DTypes.Where(t => t is CollectiveDType.Half or CollectiveDType.BFloat16).Select(CollectiveNames.Of).ToList();
        if (unsupported.Count > 0)
            throw new UsageException($"--datatype {string.Join(",", unsupported)}: the mpi backend has no 16-bit floats (it measures float and int32; half and bfloat16 need --backend nccl or rccl)");
    }

    /// <summary>The root must be a rank of the job, known once the communicator is up.</summary>
    public static string? CheckRoot(CollectivesOptions o, int nranks) =>
        o.Root < nranks ? null : $"--root {o.Root}: the job has ranks 0..{nranks - 1}";
}
