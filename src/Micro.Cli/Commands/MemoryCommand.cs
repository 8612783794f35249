using Spectre.Console;
using System.CommandLine;
using Micro.Cli.Output;
using Micro.Core;
using Micro.Core.Context;
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
        var backend = CommonOptions.Backend(StreamBackends.Names);
        var kernel = new Option<string[]>("--kernel", "-k") { Description = $"Kernels ({StreamCases.Names}); default: all", AllowMultipleArgumentsPerToken = true };
        var dtype = CommonOptions.DType("float, double");
        var size = CommonOptions.Size("Working set (all three arrays): bytes like 512M or 2GB, at most the memory of each device measured, or a % of device memory in (0, 95]% like 25%; default: a sweep from LLC/4 to 16x LLC");
        var measure = new MeasureOptions();
        var csv = CommonOptions.Csv("print BabelStream's --csv lines on stdout (the tables go to stderr)");
        var nativeConfig = new Option<string>("--native-config")
        {
            Description = "native backend launch config: 'tune' (default: time every block 256/512/1024 x items 1/2/4 x policy cover/occupancy x stores default/streaming " +
                          "per kernel once at a past-cache size, measure with the fastest) or fixed, e.g. block=512,items=2,policy=cover,stores=default",
            DefaultValueFactory = _ => NativeStreamConfig.Tune,
        };
        foreach (var o in new Option[] { backend, kernel, dtype, size }) cmd.Options.Add(o);
        measure.AddTo(cmd);
        foreach (var o in new Option[] { csv, nativeConfig }) cmd.Options.Add(o);
        cmd.Subcommands.Add(BuildImport());

        cmd.SetAction(parse =>
        {
            var backends = SuiteOptions.Split(parse.GetValue(backend))
                .Select(b => StreamBackends.Find(b)?.Name ?? throw new UsageException($"unknown --backend '{b}' (known: {StreamBackends.Names})"))
                .ToHashSet();
            var (bytes, fraction) = SuiteOptions.ParseSize(parse.GetValue(size));
            var native = parse.GetValue(nativeConfig) ?? NativeStreamConfig.Tune;
            try { NativeStreamConfig.Parse(native); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            if (CommonOptions.Given(parse, nativeConfig) && backends.Count > 0 && !backends.Contains("native"))
                throw new UsageException("--native-config applies to the native backend only, which --backend leaves out");
            var options = new MemoryOptions
            {
                Kernels = Pick(parse.GetValue(kernel), "--kernel", StreamCases.Names, k => StreamCases.Find(k)?.Kernel) ?? new MemoryOptions().Kernels,
                DTypes = Pick(parse.GetValue(dtype), "--dtype", "float, double", StreamDTypes.Find) ?? new MemoryOptions().DTypes,
                SizeBytes = bytes, SizeFraction = fraction, NativeConfig = native,
            };
            if (bytes is { } b && (backends.Count == 0 || backends.Contains("host")) && HostInfo.MemoryBytes() is { } hostMemory && b > hostMemory)
                throw new UsageException($"--size {parse.GetValue(size)}: more than this host's {Units.FormatBytes(hostMemory)} of memory; range 1 B .. {Units.FormatBytes(hostMemory)}");
            var request = measure.Request(parse, backends.Count > 0 ? backends : null);
            var outDir = measure.OutDir(parse);
            // --csv with --out writes results.csv there; without it, BabelStream's CSV goes to stdout.
            var wantCsv = parse.GetValue(csv);
            return SuiteRunner.Run(parse, [new MemorySuite().With(options)], request, outDir,
                new RunSettings(Csv: wantCsv && outDir is not null, HostOnly: backends.Count > 0 && backends.All(b => StreamBackends.Find(b)!.OnHost),
                    BabelStreamCsv: wantCsv && outDir is null, Verbose: parse.GetValue(measure.Verbose)));
        });
        return cmd;
    }

    /// <summary>Repeated or comma-separated names, each checked; null when none was given.</summary>
    private static T[]? Pick<T>(string[]? values, string option, string known, Func<string, T?> find) where T : struct
    {
        var names = SuiteOptions.Split(values);
        if (names.Length == 0) return null;
        return names.Select(n => find(n) ?? throw new UsageException($"unknown {option} '{n}' (known: {known})")).Distinct().ToArray();
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
            var dir = MeasureOptions.CheckedOut(parse, outDir, appendsResults: true);
            var records = new List<MeasurementRecord>();
            foreach (var f in parse.GetValue(files) ?? []) records.AddRange(BabelStreamImport.Read(f.FullName));
            using var session = new RunSession(dir, CliConsole.CommandLine(parse), note: line => parse.InvocationConfiguration.Error.WriteLine("micro: " + line));
            foreach (var r in records) session.Sink.Add(r);
            ResultsTable.Write(console, records, "imported BabelStream results");
            if (session.ResultsPath is { } p) console.WriteLine($"wrote {records.Count} points to {p}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
