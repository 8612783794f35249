using System.CommandLine;
using System.Globalization;
using Micro.Core;
using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Core.Results;
using Micro.Devices.Cuda;
using Micro.Suites.Running;

namespace Micro.Cli.Commands;

/// <summary>
/// The shared shape of the native GPU verbs (link, gemm, launch): common options plus --device and --size, run one
/// suite, write results.jsonl point by point and ceilings.json at the end, print the libraries loaded.
/// </summary>
internal static class GpuSuiteCommand
{
    public static Command Build(string verb, string description, Func<ISuite> suite, Action<Command>? extraOptions = null,
        Func<ParseResult, IReadOnlyDictionary<string, string>>? extra = null)
    {
        var cmd = new Command(verb, description);
        var outOpt = CommonOptions.Out();
        var quick = CommonOptions.Quick();
        var iterations = CommonOptions.Iterations();
        var warmup = CommonOptions.Warmup();
        var device = new Option<int>("--device", "-d") { Description = "CUDA device ordinal", DefaultValueFactory = _ => 0 };
        var size = new Option<string?>("--size") { Description = "Only this transfer/working-set size (e.g. 256MiB)" };
        foreach (var o in new Option[] { outOpt, quick, iterations, warmup, device, size }) cmd.Options.Add(o);
        extraOptions?.Invoke(cmd);
        cmd.SetAction(parse =>
        {
            long? sizeBytes = null;
            if (parse.GetValue(size) is { } s)
            {
                if (!Units.TryParseBytes(s, out var b) || b <= 0) throw new UsageException($"--size: '{s}' is not a byte size (e.g. 64MiB, 1GB)");
                sizeBytes = b;
            }
            var n = parse.GetValue(iterations);
            var w = parse.GetValue(warmup);
            if (n is < 1) throw new UsageException("--iterations must be at least 1");
            if (w is < 0) throw new UsageException("--warmup must not be negative");
            var extras = new Dictionary<string, string>(extra?.Invoke(parse) ?? new Dictionary<string, string>())
            {
                ["device"] = parse.GetValue(device).ToString(CultureInfo.InvariantCulture),
            };
            var request = new SuiteRequest { Quick = parse.GetValue(quick), Iterations = n, Warmup = w, SizeBytes = sizeBytes, Extra = extras };
            var outDir = parse.GetValue(outOpt)?.FullName ?? Path.Combine(Environment.CurrentDirectory, "micro-out");
            return Run(suite(), request, outDir, Console.Out, Console.Error);
        });
        return cmd;
    }

    public static int Run(ISuite suite, SuiteRequest request, string outDir, TextWriter stdout, TextWriter stderr)
    {
        var context = RunContext.Capture(Environment.CommandLine);
        SuiteOutcome outcome;
        IReadOnlyList<MeasurementRecord> records;
        string resultsPath;
        using (var writer = new ResultsWriter(outDir))
        {
            stdout.WriteLine($"micro {suite.Name}: {suite.Description}");
            outcome = suite.Run(request, new WriterSink(writer), new ConsoleProgress(stdout));
            records = writer.Written;
            resultsPath = writer.Path;
            stdout.WriteLine($"results: {writer.Path} ({records.Count} points)");
        }
        foreach (var s in outcome.Skipped) stderr.WriteLine($"skipped: {s}");
        foreach (var f in outcome.Failures) stderr.WriteLine($"FAILED: {f}");
        if (records.Count > 0)
        {
            var devices = GpuSession.TryOpen(int.Parse(request.Extra["device"], CultureInfo.InvariantCulture), out _) is { } session ? new[] { session.Info } : [];
            CeilingsService.Update(outDir, context with
            {
                Finished = DateTimeOffset.UtcNow, Devices = devices, Libraries = GpuSession.LoadedLibraries(), Telemetry = GpuSession.TelemetrySamples(),
            });
            stdout.WriteLine($"ceilings: {Path.Combine(outDir, CeilingsProfile.FileName)}");
        }
        if (outcome.Failures.Count > 0) return ExitCodes.Failed;
        return records.Count == 0 && outcome.Skipped.Count > 0 ? ExitCodes.Failed : ExitCodes.Ok;
    }

    private sealed class ConsoleProgress(TextWriter w) : ISuiteProgress
    {
        public void Start(string task, int total) => w.WriteLine($"{task}: {total} cases");
        public void Advance(string task, string detail) => w.WriteLine($"  {task} {detail}");
        public void Note(string line) => w.WriteLine($"  {line}");
    }
}
