using System.CommandLine;
using Micro.Suites;
using Micro.Suites.Running;

namespace Micro.Cli.Commands;

/// <summary>`micro run`: every suite this machine can run, then ceilings.json.</summary>
public static class RunCommand
{
    public static Command Build()
    {
        var cmd = new Command("run", "Run every suite this machine can run, write results.jsonl point by point and ceilings.json");
        var outDir = CommonOptions.Out();
        outDir.Required = true;
        var quick = CommonOptions.Quick();
        var iterations = CommonOptions.Iterations();
        var warmup = CommonOptions.Warmup();
        var suite = new Option<string[]>("--suite") { Description = $"Only these suites ({SuiteCatalog.Names})", AllowMultipleArgumentsPerToken = true };
        var csv = new Option<bool>("--csv") { Description = "Also write results.csv" };
        var backend = new Option<string[]>("--backend", "-b") { Description = "Only these backends (e.g. host); default: all available", AllowMultipleArgumentsPerToken = true };
        var soak = new Option<double?>("--soak") { Description = "Also run the bf16 GEMM and the D2D copy for S seconds each: throughput, power, clocks, temperature, throttle reasons over time" };
        foreach (var o in new Option[] { outDir, quick, iterations, warmup, suite, backend, csv, soak }) cmd.Options.Add(o);
        var fleet = new RunFleet();
        fleet.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var names = SuiteOptions.Split(parse.GetValue(suite));
            var suites = names.Length == 0
                ? SuiteCatalog.All
                : names.Select(n => SuiteCatalog.Find(n) ?? throw new UsageException($"unknown suite '{n}' (known: {SuiteCatalog.Names})")).Distinct().ToArray();
            var iters = parse.GetValue(iterations);
            if (iters is < 1) throw new UsageException("--iterations must be at least 1");
            var backends = SuiteOptions.Split(parse.GetValue(backend));
            var soakSeconds = parse.GetValue(soak);
            if (soakSeconds is { } ss && !(ss > 0 && ss <= 3600)) throw new UsageException($"--soak: {ss} s is not a duration in (0, 3600]");
            if (soakSeconds is not null) suites = [.. suites, new Micro.Suites.Soak.SoakSuite()];
            var request = new SuiteRequest
            {
                Quick = parse.GetValue(quick), Iterations = iters, Warmup = parse.GetValue(warmup),
                Backends = backends.Length > 0 ? backends.ToHashSet(StringComparer.OrdinalIgnoreCase) : null,
                Extra = soakSeconds is { } s ? new Dictionary<string, string> { [Micro.Suites.Soak.SoakSuite.ExtraKey] = s.ToString(System.Globalization.CultureInfo.InvariantCulture) } : new Dictionary<string, string>(),
            };
            fleet.Validate(parse);
            if (parse.GetValue(fleet.Fleet)) return fleet.Run(parse, suites, request, parse.GetValue(outDir)!);
            return SuiteRunner.Run(parse, suites, request, parse.GetValue(outDir), writeCeilings: true, csv: parse.GetValue(csv));
        });
        return cmd;
    }
}
