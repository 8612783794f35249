using Spectre.Console;
using System.CommandLine;
using Micro.Cli.Output;
using Micro.Core.Results;
using Micro.Suites.Memory;
using Micro.Suites.Memory.Backends;
using Micro.Suites.Memory.Import;
using Micro.Suites.Running;

namespace Micro.Cli.Commands;

/// <summary>`micro memory`: the stream suite; `micro memory import FILE...`: BabelStream output into results.</summary>
public static class MemoryCommand
{
    public static Command Build()
    {
        var cmd = new Command("memory", "Memory bandwidth: STREAM kernels (BabelStream's set plus read-only and write-only) on each backend");
        var backend = new Option<string[]>("--backend", "-b") { Description = $"Backends to run ({StreamBackends.Names}); default: all available", AllowMultipleArgumentsPerToken = true };
        var kernel = new Option<string[]>("--kernel", "-k") { Description = $"Kernels ({StreamCases.Names}); default: all", AllowMultipleArgumentsPerToken = true };
        var dtype = new Option<string[]>("--dtype") { Description = "float, double (default: both)", AllowMultipleArgumentsPerToken = true };
        var size = new Option<string?>("--size", "-s") { Description = "Working set (all three arrays): bytes like 512M or 2GB, or a % of device memory like 25%; default: a sweep from LLC/4 to 16x LLC" };
        var outDir = CommonOptions.Out();
        var quick = CommonOptions.Quick();
        var iterations = CommonOptions.Iterations();
        var warmup = CommonOptions.Warmup();
        var csv = new Option<bool>("--csv") { Description = "Also write results.csv into --out" };
        var nativeConfig = new Option<string>("--native-config")
        {
            Description = "native backend launch config: 'tune' (default: time every block 256/512/1024 x items 1/2/4 x policy cover/occupancy x stores default/streaming " +
                          "per kernel once at a past-cache size, measure with the fastest) or fixed, e.g. block=512,items=2,policy=cover,stores=default",
            DefaultValueFactory = _ => NativeStreamConfig.Tune,
        };
        foreach (var o in new Option[] { backend, kernel, dtype, size, outDir, quick, iterations, warmup, csv, nativeConfig }) cmd.Options.Add(o);
        cmd.Subcommands.Add(BuildImport());

        cmd.SetAction(parse =>
        {
            var backends = SuiteOptions.Split(parse.GetValue(backend));
            foreach (var b in backends)
                if (StreamBackends.Find(b) is null) throw new UsageException($"unknown --backend '{b}' (known: {StreamBackends.Names})");
            var kernels = SuiteOptions.Split(parse.GetValue(kernel));
            foreach (var k in kernels)
                if (StreamCases.Find(k) is null) throw new UsageException($"unknown --kernel '{k}' (known: {StreamCases.Names})");
            var dtypes = SuiteOptions.Split(parse.GetValue(dtype));
            foreach (var d in dtypes)
                if (StreamDTypes.Find(d) is null) throw new UsageException($"unknown --dtype '{d}' (known: float, double)");
            var (bytes, fraction) = SuiteOptions.ParseSize(parse.GetValue(size));
            var native = parse.GetValue(nativeConfig) ?? NativeStreamConfig.Tune;
            try { NativeStreamConfig.Parse(native); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            var iters = parse.GetValue(iterations);
            if (iters is < 1) throw new UsageException("--iterations must be at least 1");
            var request = new SuiteRequest
            {
                Quick = parse.GetValue(quick), SizeBytes = bytes, SizeFraction = fraction,
                Iterations = iters, Warmup = parse.GetValue(warmup),
                Backends = backends.Length > 0 ? backends.Select(b => StreamBackends.Find(b)!.Name).ToHashSet() : null,
                Extra = new Dictionary<string, string>
                {
                    [MemoryOptions.KernelsKey] = string.Join(",", kernels),
                    [MemoryOptions.DTypesKey] = string.Join(",", dtypes),
                    [NativeStreamProvider.ConfigKey] = native,
                },
            };
            return SuiteRunner.Run(parse, [new MemorySuite()], request, parse.GetValue(outDir), writeCeilings: true, csv: parse.GetValue(csv));
        });
        return cmd;
    }

    private static Command BuildImport()
    {
        var cmd = new Command("import", "Read BabelStream output (text table or --csv) into results.jsonl, to compare side by side");
        var files = new Argument<FileInfo[]>("files") { Description = "BabelStream output files", Arity = ArgumentArity.OneOrMore };
        var outDir = CommonOptions.Out();
        cmd.Arguments.Add(files);
        cmd.Options.Add(outDir);
        cmd.SetAction(parse =>
        {
            var console = CliConsole.For(parse);
            var records = new List<MeasurementRecord>();
            foreach (var f in parse.GetValue(files) ?? []) records.AddRange(BabelStreamImport.Read(f.FullName));
            using var session = new RunSession(parse.GetValue(outDir), CliConsole.CommandLine(parse));
            foreach (var r in records) session.Sink.Add(r);
            ResultsTable.Write(console, records, "imported BabelStream results");
            if (session.ResultsPath is { } p) console.WriteLine($"wrote {records.Count} points to {p}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
