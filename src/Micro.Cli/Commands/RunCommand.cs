using System.CommandLine;
using Micro.Suites;
using Micro.Suites.Soak;
using Micro.Suites.Running;

namespace Micro.Cli.Commands;

/// <summary>`micro run`: every suite this machine can run (each with its defaults), then ceilings.json.</summary>
public static class RunCommand
{
    public static Command Build()
    {
        var cmd = new Command("run", "Run every suite this machine can run, write results.jsonl point by point and ceilings.json");
        var measure = new MeasureOptions();
        var suite = new Option<string[]>("--suite") { Description = $"Only these suites ({SuiteCatalog.Names})", AllowMultipleArgumentsPerToken = true };
        var csv = CommonOptions.Csv();
        var backend = CommonOptions.Backend(
            $"{string.Join(", ", KnownBackends())}; '{SuiteBackend.Host}' selects everything that runs in host memory and loads no GPU library: " +
            "host STREAM, and MPI collectives under mpirun/srun");
        var soak = new Option<double?>("--soak") { Description = $"Also run the bf16 GEMM and the D2D copy for S seconds each, (0, {SoakOptions.MaxSeconds}]: throughput, power, clocks, temperature, throttle reasons over time" };
        measure.AddTo(cmd);
        foreach (var o in new Option[] { suite, backend, csv, soak }) cmd.Options.Add(o);
        var fleet = new RunFleet();
        fleet.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var names = SuiteOptions.Split(parse.GetValue(suite));
            var chosen = names.Length == 0
                ? SuiteCatalog.All
                : names.Select(n => SuiteCatalog.Find(n) ?? throw new UsageException($"unknown suite '{n}' (known: {SuiteCatalog.Names})")).Distinct().ToArray();
            if (parse.GetValue(soak) is { } seconds)
            {
                if (!(seconds > 0 && seconds <= SoakOptions.MaxSeconds)) throw new UsageException($"--soak {seconds}: out of range (0, {SoakOptions.MaxSeconds}] seconds");
                chosen = [.. chosen, new SoakSuite().With(new SoakOptions { Seconds = seconds })];
            }
            var plan = RunPlan.For(chosen, SuiteOptions.Split(parse.GetValue(backend)), names.Length > 0);
            if (parse.GetValue(soak) is not null && !plan.Suites.Any(s => s is ConfiguredSuite<SoakOptions>))
                throw new UsageException($"--soak does not apply: --backend {string.Join(",", SuiteOptions.Split(parse.GetValue(backend)))} leaves out the GPU (soak runs on cuda)");
            var request = measure.Request(parse, plan.Backends);
            fleet.Validate(parse);
            var outDir = measure.OutDir(parse);
            if (parse.GetValue(fleet.Fleet))
            {
                if (outDir is null) throw new UsageException("--fleet needs --out DIR (rank 0 gathers every rank's points there)");
                return fleet.Run(parse, plan.Suites, request, new DirectoryInfo(outDir));
            }
            return SuiteRunner.Run(parse, plan.Suites, request, outDir,
                new RunSettings(Csv: parse.GetValue(csv), HostOnly: plan.HostOnly, NotRun: plan.NotRun, Verbose: parse.GetValue(measure.Verbose)));
        });
        return cmd;
    }

    private static IEnumerable<string> KnownBackends() =>
        SuiteCatalog.All.SelectMany(s => s.Backends).Select(b => b.Name).Prepend(SuiteBackend.Host).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>Which suites run with which backends for `--backend` (validated), and the line naming those left out.</summary>
    /// <param name="Backends">The backend names the suites are told to run (null: all).</param>
    /// <param name="HostOnly">Every selected backend runs in host memory: no GPU library may be probed or loaded.</param>
    public sealed record RunPlan(IReadOnlyList<ISuite> Suites, IReadOnlySet<string>? Backends, bool HostOnly, string? NotRun)
    {
        public static RunPlan For(IReadOnlyList<ISuite> suites, IReadOnlyList<string> selected, bool suitesNamed)
        {
            if (selected.Count == 0) return new RunPlan(suites, null, false, null);
            var known = KnownBackends().ToArray();
            foreach (var b in selected)
                if (!known.Contains(b, StringComparer.OrdinalIgnoreCase))
                    throw new UsageException($"unknown --backend '{b}' (known: {string.Join(", ", known)})");
            var names = suites.SelectMany(s => s.Backends).Where(b => selected.Any(b.Matches)).Select(b => b.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var run = suites.Where(s => s.Backends.Any(b => names.Contains(b.Name))).ToArray();
            var left = suites.Except(run).ToArray();
            if (suitesNamed && left.Length > 0)
                throw new UsageException($"--backend {string.Join(",", selected)} does not apply to suite {string.Join(", ", left.Select(s => s.Name))} " +
                                         $"(its backends: {string.Join(", ", left.SelectMany(s => s.Backends).Select(b => b.Name).Distinct())})");
            var hostOnly = suites.SelectMany(s => s.Backends).Where(b => names.Contains(b.Name)).All(b => b.OnHost);
            var notRun = left.Length > 0 ? $"not run (no {string.Join(",", selected)} backend): {string.Join(", ", left.Select(s => s.Name))}" : null;
            return new RunPlan(run, names, hostOnly, notRun);
        }
    }
}
