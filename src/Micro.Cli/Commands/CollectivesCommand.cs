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
    public const string Auto = "auto";

    /// <summary>nccl-tests flags micro does not take, and why: the help lists them, and giving one gets its reason (UnknownOptions).</summary>
    public static readonly IReadOnlyDictionary<string, string> NotTaken = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["-p"] = "parallel init: micro runs one process per rank", ["-y"] = "stream null: micro uses its own stream",
        ["-C"] = "CPU time: micro reports device time", ["-T"] = "nccl-tests' timeout: use --timeout", ["-R"] = "local buffer registration",
        ["-N"] = "run cycles: run micro again", ["-J"] = "JSON output: use --out for results.jsonl",
    };

    public static string NotHonoured => "Not taken: " + string.Join(", ", NotTaken.Select(n => $"{n.Key} ({n.Value})"));

    public static Command Build()
    {
        var cmd = new Command("collectives", "Collective bandwidth and latency (nccl-tests semantics) over MPI, NCCL or RCCL; run one process per rank under mpirun/srun. " +
                                             "Its options keep nccl-tests' own names and letters (-b/-e/-f/-i sizes, -n/--iters, -w/--warmup_iters, -o op, -d datatype, -c check, -r root, -G graph, " +
                                             "-g/-t/-a/-z/-m/-F), so they differ from the other verbs' (-o is --op here; --out has no letter). " + NotHonoured);
        var backend = new Option<string>("--backend") { Description = "auto (NCCL, else RCCL, else MPI in host memory, saying so), mpi, nccl or rccl", DefaultValueFactory = _ => Auto };
        var colls = new Option<string>("--coll") { Description = "Collectives, comma-separated or 'all': all_reduce, all_gather, reduce_scatter, broadcast, reduce, alltoall, sendrecv", DefaultValueFactory = _ => "all_reduce" };
        var minBytes = new Option<string>("--minbytes", "-b") { Description = "Smallest size (nccl-tests -b; binary suffixes K/M/G)", DefaultValueFactory = _ => "32M" };
        var maxBytes = new Option<string>("--maxbytes", "-e") { Description = "Largest size (nccl-tests -e)", DefaultValueFactory = _ => "32M" };
        var factor = new Option<long>("--stepfactor", "-f") { Description = "Multiply the size by this each step (nccl-tests -f)", DefaultValueFactory = _ => 2 };
        var stepBytes = new Option<string?>("--stepbytes", "-i") { Description = "Add this many bytes each step instead of -f (nccl-tests -i)" };
        var iters = CommonOptions.Iterations();
        iters.Aliases.Add("--iters");
        var warmup = CommonOptions.Warmup();
        warmup.Aliases.Add("--warmup_iters");
        var ngpus = new Option<int>("--ngpus", "-g") { Description = "GPUs per process (nccl-tests -g): 1; micro drives one GPU per rank, so run N ranks instead of -g N", DefaultValueFactory = _ => 1 };
        var nthreads = new Option<int>("--nthreads", "-t") { Description = "Threads per process (nccl-tests -t): 1; run more ranks instead", DefaultValueFactory = _ => 1 };
        var average = new Option<int>("--average", "-a") { Description = "Time reported (nccl-tests -a): 0 rank 0's, 1 average over ranks, 2 minimum, 3 maximum", DefaultValueFactory = _ => 1 };
        var blocking = new Option<int>("--blocking", "-z") { Description = "Blocking collectives (nccl-tests -z): 0; micro times batches of non-blocking launches", DefaultValueFactory = _ => 0 };
        var aggIters = new Option<int>("--agg_iters", "-m") { Description = "Collectives aggregated per group (nccl-tests -m): 1; micro launches one per iteration", DefaultValueFactory = _ => 1 };
        var cacheFlush = new Option<int>("--cache_flush", "-F") { Description = "Flush the cache between iterations (rccl-tests -F): 0; micro does not flush", DefaultValueFactory = _ => 0 };
        var check = new Option<int>("--check", "-c") { Description = "Verification runs per point (nccl-tests -c; 0 disables)", DefaultValueFactory = _ => 1 };
        var redop = new Option<string>("--op", "-o") { Description = "Reduction op as nccl-tests -o: sum, prod, max, min, avg (NCCL/RCCL only), comma-separated or 'all'", DefaultValueFactory = _ => "sum" };
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
        foreach (var o in new Option[] { backend, colls, minBytes, maxBytes, factor, stepBytes, iters, warmup, check, redop, dtype, root, graph, ngpus, nthreads, average, blocking, aggIters, cacheFlush,
                     timeout, ncclPath, device, outDir, stallRank, stallSeconds, corruptRank })
            cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            CollectivesArgs.CheckNcclTestsFlags(parse.GetValue(ngpus), parse.GetValue(nthreads), parse.GetValue(blocking), parse.GetValue(aggIters), parse.GetValue(cacheFlush));
            var backendText = parse.GetValue(backend)!;
            var auto = string.Equals(backendText.Trim(), Auto, StringComparison.OrdinalIgnoreCase);
            var options = new CollectivesOptions
            {
                Backend = auto ? CollectiveBackend.Nccl : CollectivesArgs.Backend(backendText),
                Average = CollectivesArgs.Average(parse.GetValue(average)),
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
            // auto tries NCCL, then RCCL, then MPI; the mpi rules (no 16-bit floats, no avg) apply once it is known.
            IReadOnlyList<CollectiveBackend> candidates = auto ? [CollectiveBackend.Nccl, CollectiveBackend.Rccl, CollectiveBackend.Mpi] : [options.Backend];
            return CollectivesRun.Execute(options, candidates, o => CollectivesArgs.ForBackend(parse.GetValue(dtype)!, parse.GetValue(redop)!, o),
                MeasureOptions.CheckedOut(parse, outDir, appendsResults: true), Environment.CommandLine, parse.InvocationConfiguration.Output);
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

    /// <summary>
    /// The options for the backend that came up. MPI has no 16-bit floats and no average: naming one with the mpi backend
    /// is an error; with 'all' the others are measured (16-bit types are skipped by the sweep, avg is left out here).
    /// </summary>
    public static CollectivesOptions ForBackend(string dtypeText, string redopText, CollectivesOptions o)
    {
        if (o.Backend != CollectiveBackend.Mpi) return o;
        if (!IsAll(dtypeText))
        {
            var unsupported = o.DTypes.Where(t => t is CollectiveDType.Half or CollectiveDType.BFloat16).Select(CollectiveNames.Of).ToList();
            if (unsupported.Count > 0)
                throw new UsageException($"--datatype {string.Join(",", unsupported)}: the mpi backend has no 16-bit floats (it measures float and int32; half and bfloat16 need --backend nccl or rccl)");
        }
        if (!o.RedOps.Contains(RedOp.Avg)) return o;
        if (!IsAll(redopText)) throw new UsageException("--op avg: the mpi backend has no average reduction (MPI has no MPI_AVG; avg needs --backend nccl or rccl)");
        return o with { RedOps = o.RedOps.Where(r => r != RedOp.Avg).ToList() };
    }

    private static bool IsAll(string text) => string.Equals(text.Trim(), "all", StringComparison.OrdinalIgnoreCase);

    public static TimeAcrossRanks Average(int a) => a is >= 0 and <= 3 ? (TimeAcrossRanks)a
        : throw new UsageException($"--average {a}: nccl-tests' values are 0 (rank 0), 1 (average over ranks), 2 (minimum), 3 (maximum)");

    /// <summary>nccl-tests flags whose only honourable value is the one micro runs; any other is one line saying why.</summary>
    public static void CheckNcclTestsFlags(int ngpus, int nthreads, int blocking, int aggIters, int cacheFlush)
    {
        if (ngpus != 1) throw new UsageException($"--ngpus {ngpus}: micro drives one GPU per process; run {Math.Max(ngpus, 1)} ranks instead (mpirun -np {Math.Max(ngpus, 1)} micro collectives ...)");
        if (nthreads != 1) throw new UsageException($"--nthreads {nthreads}: micro runs one thread per process; run more ranks instead (mpirun -np N)");
        if (blocking != 0) throw new UsageException($"--blocking {blocking}: not honoured: micro times batches of non-blocking collectives (nccl-tests -z 0)");
        if (aggIters != 1) throw new UsageException($"--agg_iters {aggIters}: not honoured: micro launches one collective per timed iteration (nccl-tests -m 1)");
        if (cacheFlush != 0) throw new UsageException($"--cache_flush {cacheFlush}: not honoured: micro does not flush caches between iterations (-F 0)");
    }

    /// <summary>The root must be a rank of the job, known once the communicator is up.</summary>
    public static string? CheckRoot(CollectivesOptions o, int nranks) =>
        o.Root < nranks ? null : $"--root {o.Root}: the job has ranks 0..{nranks - 1}";
}
