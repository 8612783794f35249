using System.Diagnostics;
using Micro.Core.Results;
using Micro.Core.Text;
using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.Cli.Tests;

/// <summary>
/// Issue 21, classes 3 to 8: work bounded before it starts, output files that are not what Micro expects, nothing
/// measured lost, control characters, signals, and the odd ends (empty values, pipes read once, closed streams,
/// library overrides). Each test is written from the class: it walks every name, option or stream of the kind.
/// </summary>
public class HostileFaultTests
{
    private static readonly string[] Predict = ["predict", "--model", "llama-3.1-8b", "--gpu", "h100-sxm"];

    // Class 3: a prediction past its work limits is refused before it simulates, naming what drives it.
    [Theory]
    [InlineData("--num-prompts", new[] { "--num-prompts", "100000000" })]
    [InlineData("--osl", new[] { "--osl", "10000000", "--num-prompts", "1000", "--concurrency", "1" })]
    [InlineData("simulations", new[] { "--num-prompts", "1", "--concurrency", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64", "--request-rate", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65" })]
    public async Task PredictionPastItsWorkLimitsIsRefusedBeforeItStarts(string driver, string[] args)
    {
        var sw = Stopwatch.StartNew();
        var line = await CliRun.BadInput([.. Predict, .. args], driver, "--force");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), $"took {sw.Elapsed} to refuse: {line}");
    }

    [Theory]
    [InlineData("8", "1G", "8")]
    [InlineData("0", "1T", "1")]
    public async Task ACollectivesSizePlanPastTheLimitIsRefused(string min, string max, string step) =>
        await CliRun.BadInput(["collectives", "-b", min, "-e", max, "-i", step, "--backend", "mpi"], "-i", "4,096");

    [Theory]
    [InlineData("--isl")]
    [InlineData("--osl")]
    public async Task ARequestLongerThanAnyContextIsRefused(string option) =>
        await CliRun.BadInput([.. Predict, option, "2147483647", "--concurrency", "1", "--num-prompts", "4"], "--isl/--osl", "longer than any model's context");

    [Theory]
    [InlineData("1e300")]
    [InlineData("99999999999999999999")]
    public async Task ABabelStreamArrayPastAnyDeviceIsRefused(string size)
    {
        var babel = Micro.Tests.Shared.TestPaths.SharedFile("babelstream/babelstream_a100_sxm4_80gb_tursa.txt");
        var text = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(babel), @"Array size: [0-9.]+ MB", $"Array size: {size} MB");
        var path = Path.Combine(CliRun.TempDir(), "babel.txt");
        File.WriteAllText(path, text);
        await CliRun.BadInput(["memory", "import", path, "--out", CliRun.TempDir()], "Array size", "1 PiB");
    }

    [Fact]
    public void TheEstimateGrowsWithEveryArgumentThatDrivesWork()
    {
        var model = Micro.Core.Models.ModelPresets.Resolve("llama-3.1-8b");
        var setup = new ServingSetup
        {
            Model = model, Weights = WeightFormat.For(model, null), KvBytesPerElement = 2, Device = DeviceProfile.FromDatasheet("h100-sxm"),
            Deployment = Micro.EndToEnd.Deployment.Deployment.Aggregated(1, 1), Scheduler = new SchedulerConfig(256, 8192, 0.9, 16),
        };
        WorkBudget Of(int n, int osl, int c) => WorkBudget.Estimate(new PredictionRequest
        {
            Setup = setup, Loads = [new LoadShape(c, null, n)], Lengths = new LengthSampler(1024, osl),
        });
        var baseline = Of(1000, 1024, 64);
        Assert.True(Of(10_000, 1024, 64).Steps > 9 * baseline.Steps);
        Assert.True(Of(1000, 10_240, 64).Steps > 9 * baseline.Steps);
        Assert.True(Of(1000, 1024, 1).Steps > 30 * baseline.Steps);
        Assert.True(baseline.Steps < WorkBudget.MaxSteps);
    }

    // Class 3, calibration: the estimate counts the fit's evaluations from the calibrator's own schedule.
    [Fact]
    public void TheCalibrationScheduleInTheEstimateIsTheCalibratorsOwn()
    {
        const System.Reflection.BindingFlags Private = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static;
        var maxIterations = typeof(Calibrator).GetMethod(nameof(Calibrator.Fit))!.GetParameters().Single(p => p.Name == "maxIterations");
        Assert.Equal(Calibrator.PolishIterations, (int)maxIterations.DefaultValue!);
        // The starts: the prior and those read off runs that state both medians.
        var starts = typeof(Calibrator).GetMethod("Starts", Private)!;
        var runs = new List<(int?, (string, double)[])> { (4, [("median_tpot_ms", 10.0), ("median_ttft_ms", 100.0)]), (16, [("median_tpot_ms", 12.0), ("median_ttft_ms", 150.0)]) };
        var list = (System.Collections.IList)starts.Invoke(null, [PhysicalParameters.Prior(false), runs])!;
        Assert.Equal(Calibrator.MaxStarts, list.Count);
        // Measured: 585 evaluations for 10 parameters on 15 runs; the schedule's count must not be below it. Its polished
        // starts run both ways at most (afresh and continued from their scouts).
        Assert.Equal(2, Calibrator.PolishesPerStart);
        Assert.InRange(WorkBudget.CalibrationEvaluations(PhysicalParameters.Specs.Count), 585, 1400);
    }

    // Class 3, calibration: a normal calibration (15 or 45 runs of a model at num_prompts 40-640) runs without --force;
    // a hundred times its runs' prompts is refused.
    [Fact]
    public void ANormalCalibrationIsNotRefusedAndAnAbsurdOneIs()
    {
        var dir = Micro.Tests.Shared.TestPaths.SharedFile("xhw/llama31-70b-vllm");
        var model = Micro.Core.Models.ModelPresets.Resolve("llama-3.1-70b");
        var setup = new ServingSetup
        {
            Model = model, Weights = WeightFormat.For(model, "fp8"), KvBytesPerElement = 2, Device = DeviceProfile.FromDatasheet("h100-sxm"),
            Deployment = Micro.EndToEnd.Deployment.Deployment.Aggregated(8, 8), Scheduler = new SchedulerConfig(256, 8192, 0.9, 16),
        };
        WorkBudget Of(IReadOnlyList<Micro.EndToEnd.Ingest.BenchmarkPoint> runs) =>
            WorkBudget.Estimate(new PredictionRequest { Setup = setup, Loads = [new LoadShape(4, null, 200)], Calibrate = runs });
        var all = Micro.EndToEnd.Ingest.ResultSetLoader.Load(Directory.GetFiles(dir, "h100-sxm_*.json"));
        Assert.Equal(45, all.Count);
        foreach (var runs in new[] { all.Where(p => p.Source.Contains("isl1024_osl1024", StringComparison.Ordinal)).ToList(), all.ToList() })
        {
            var budget = Of(runs);
            Assert.True(budget.Steps < WorkBudget.MaxSteps && budget.Simulations < WorkBudget.MaxSimulations && budget.Requests < WorkBudget.MaxRequests,
                $"{runs.Count} runs: {budget}");
            budget.Enforce(force: false, TextWriter.Null);
        }
        var absurd = all.Select(p => p with { Completed = p.Completed * 100, TotalInputTokens = p.TotalInputTokens * 100, TotalOutputTokens = p.TotalOutputTokens * 100 }).ToList();
        Assert.Throws<InputException>(() => Of(absurd).Enforce(force: false, TextWriter.Null));
    }

    [Fact]
    public void ASweepFolderSkipsAFifoAndStopsAtThePointLimitWhileReading()
    {
        var dir = CliRun.TempDir();
        // Summary fields only: the lowered count limit below also bounds per-request values.
        var summary = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(HostileShapeTests.Vllm)!;
        foreach (var key in new[] { "input_lens", "output_lens", "ttfts", "itls", "errors" }) summary.Remove(key);
        for (var i = 0; i < 5; i++) File.WriteAllText(Path.Combine(dir, $"run{i}.json"), summary.ToJsonString());
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(dir, "a-fifo.json")])!)
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        var ok = MicroChild.Run(["analyze", dir, "--gpu", "h100-sxm"]);
        Assert.True(ok.ExitCode == ExitCodes.Ok, ok.Stderr);
        Assert.Contains("a-fifo.json: a FIFO (named pipe), not a regular file", ok.Stderr);
        var limited = MicroChild.Run(["analyze", dir, "--gpu", "h100-sxm"], new Dictionary<string, string> { [InputLimits.CountVariable] = "2" });
        Assert.Equal(ExitCodes.Usage, limited.ExitCode);
        Assert.Contains("run2.json: more than 2 benchmark points", limited.Stderr);
    }

    // Class 4: every file Micro writes, made a directory, a symlink to a victim, or a FIFO: one line, exit 2, victim untouched.
    [Theory]
    [InlineData("directory")]
    [InlineData("symlink")]
    [InlineData("fifo")]
    public async Task EveryOutputFileThatIsNotARegularFileIsRefusedBeforeAnythingRuns(string kind)
    {
        foreach (var name in OutputDirectory.FileNames)
        {
            var dir = CliRun.TempDir();
            var target = Path.Combine(dir, name);
            var victim = Path.Combine(CliRun.TempDir(), "victim");
            File.WriteAllText(victim, "keep");
            switch (kind)
            {
                case "directory": Directory.CreateDirectory(target); break;
                case "symlink": File.CreateSymbolicLink(target, victim); break;
                default: Process.Start("mkfifo", [target])!.WaitForExit(); break;
            }
            var input = Path.Combine(CliRun.TempDir(), "run.json");
            File.WriteAllText(input, HostileShapeTests.Vllm);
            await CliRun.BadInput(["analyze", input, "--gpu", "h100-sxm", "--out", dir], name);
            Assert.Equal("keep", File.ReadAllText(victim));
        }
        foreach (var folder in OutputDirectory.FolderNames)
        {
            var dir = CliRun.TempDir();
            File.WriteAllText(Path.Combine(dir, folder), "a file where a folder goes");
            var input = Path.Combine(CliRun.TempDir(), "run.json");
            File.WriteAllText(input, HostileShapeTests.Vllm);
            await CliRun.BadInput(["analyze", input, "--gpu", "h100-sxm", "--out", dir], folder, "folder");
        }
    }

    // Class 5: what is already in --out is read before measuring; a second Micro writing there is refused.
    [Theory]
    [InlineData("garbage {{{")]
    [InlineData("""{"schema":"micro.result/9","suite":"memory"}""")]
    public void AnUnreadableResultsLineIsRefusedBeforeMeasuring(string line)
    {
        var dir = CliRun.TempDir();
        File.WriteAllText(Path.Combine(dir, ResultsWriter.FileName), line + "\n");
        var e = Assert.Throws<InputException>(() => OutputDirectory.Check(dir, appendsResults: true));
        Assert.Contains("line 1", e.Message);
    }

    [Fact]
    public void AResultsFileNearTheInputLimitIsRefusedBeforeMeasuring()
    {
        var dir = CliRun.TempDir();
        var path = Path.Combine(dir, ResultsWriter.FileName);
        using (var f = File.Create(path)) f.SetLength(InputLimits.MaxFileBytes - 1024);
        var e = Assert.Throws<OutputException>(() => OutputDirectory.Check(dir, appendsResults: true));
        Assert.Contains("too close to the", e.Message);
    }

    [Fact]
    public void ASecondMicroWritingIntoTheSameOutIsRefused()
    {
        var dir = CliRun.TempDir();
        var lockFile = Path.Combine(dir, OutputDirectory.LockName);
        var held = Path.Combine(dir, "held");
        // The marker is written once flock holds the lock, so the test never races the holder's start-up.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", lockFile, "sh", "-c", $"touch '{held}'; sleep 60"]) { UseShellExecute = false })!;
        try
        {
            var sw = Stopwatch.StartNew();
            while (!File.Exists(held) && sw.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(50);
            Assert.True(File.Exists(held), "flock did not take the lock within 30 s");
            var babel = Micro.Tests.Shared.TestPaths.SharedFile("babelstream/babelstream_a100_sxm4_80gb_tursa.txt");
            var r = MicroChild.Run(["memory", "import", babel, "--out", dir]);
            Assert.Equal(ExitCodes.Usage, r.ExitCode);
            Assert.Contains("another Micro process is writing into this directory", r.Stderr);
            Assert.False(File.Exists(Path.Combine(dir, ResultsWriter.FileName)) && new FileInfo(Path.Combine(dir, ResultsWriter.FileName)).Length > 0);
        }
        finally { holder.Kill(); }
    }

    // Class 6: control and bidi characters never reach the console, a report or a CSV; arguments holding them are refused.
    [Fact]
    public async Task ControlAndBidiCharactersAreNeutralizedEverywhere()
    {
        foreach (var c in new[] { '\u202e', '\u2066', '\u2069', '\u200f', '\u001b', '\u0007' })
        {
            Assert.DoesNotContain(c, ConsoleText.OneLine($"model{c}id"));
            Assert.DoesNotContain(c, ConsoleText.Clean($"model{c}id"));
            Assert.DoesNotContain(c, CsvText.Neutralize($"model{c}id") ?? "");
            await CliRun.BadInput(["analyze", $"run{c}.json", "--gpu", "h100-sxm"], "control characters");
        }
        var withNewline = await CliRun.BadInput(["memory", "--out", "a\nb\u001b[31m"], "control characters");
        Assert.DoesNotContain('\u001b', withNewline);
    }

    // Class 6, in files: every control and bidi character a result file's strings (model_id, file names) can hold is
    // dropped from every file analyze and predict write, raw and as a JSON escape, as the console drops it.
    [Fact]
    public async Task ControlAndBidiCharactersFromInputFilesReachNoOutputFile()
    {
        var unsafeChars = Enumerable.Range(1, 0x2100).Select(i => (char)i).Where(ConsoleText.IsUnsafe).ToArray();
        Assert.Contains('\u202e', unsafeChars);
        var sweep = CliRun.TempDir();
        var hostile = new string(unsafeChars);
        var json = HostileShapeTests.Vllm.Replace("\"model_id\": \"m\"", "\"model_id\": " + System.Text.Json.JsonSerializer.Serialize("m" + hostile));
        File.WriteAllText(Path.Combine(sweep, "run" + hostile + ".json"), json);
        var analyzed = CliRun.TempDir();
        var a = await CliRun.Run("analyze", sweep, "--gpu", "h100-sxm", "--out", analyzed);
        Assert.True(a.Code == 0, a.Err);
        var predicted = CliRun.TempDir();
        var p = await CliRun.Run([.. Predict, "--check", sweep, "--concurrency", "4", "--num-prompts", "4", "--out", predicted]);
        Assert.True(p.Code == 0, p.Err);
        var files = Directory.EnumerateFiles(analyzed).Concat(Directory.EnumerateFiles(predicted, "*", SearchOption.AllDirectories))
            .Where(f => Path.GetExtension(f) is ".json" or ".csv" or ".md" or ".html" or ".svg").ToList();
        Assert.Contains(files, f => f.EndsWith("analysis.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("prediction.json", StringComparison.Ordinal));
        foreach (var f in files)
        {
            var text = File.ReadAllText(f);
            Assert.False(text.Any(c => c != '\r' && ConsoleText.IsUnsafe(c)), $"{f} holds a control or bidi character");
            foreach (var c in unsafeChars)
                Assert.DoesNotContain($"\\u{(int)c:x4}", text, StringComparison.OrdinalIgnoreCase);
        }
        foreach (var output in new[] { a.Out + a.Err, p.Out + p.Err })
            Assert.False(output.Any(c => c != '\r' && ConsoleText.IsUnsafe(c)), "the console got a control or bidi character");
    }

    // Class 8: empty values, pipes read once, closed or full streams, a library override without its entry points.
    [Theory]
    [InlineData("compare", "", "")]
    [InlineData("predict", "--model", "")]
    [InlineData("memory", "--dtype", "")]
    [InlineData("run", "--suite", "")]
    [InlineData("memory", "--kernel", ",")]
    public async Task AnEmptyValueIsExitTwo(string verb, string a, string b) =>
        await CliRun.BadInput(verb == "compare" ? [verb, a, b] : [verb, a, b], "an empty value");

    [Fact]
    public void AnAbsurdOpenMpThreadCountIsOneLineNotAStackOverflow()
    {
        var r = MicroChild.Run(["memory", "--backend", "host", "--quick"], new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "100000" });
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("OMP_NUM_THREADS=100000", r.Stderr);
    }

    [Fact]
    public async Task PredictChecksItsOutBeforeSimulating()
    {
        var dir = CliRun.TempDir();
        Process.Start("mkfifo", [Path.Combine(dir, "points.csv")])!.WaitForExit();
        await CliRun.BadInput([.. Predict, "--num-prompts", "4", "--concurrency", "1", "--out", dir], "points.csv", "FIFO");
    }

    [Fact]
    public void ProcessSubstitutionIsReadOnceAndStreamsThatRefuseWritesNeverAbort()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "micro.dll");
        var input = Path.Combine(CliRun.TempDir(), "run.json");
        File.WriteAllText(input, HostileShapeTests.Vllm);
        (int Code, string Err) Bash(string script)
        {
            var psi = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(60_000)) { p.Kill(true); Assert.Fail("did not finish in 60 s: " + script); }
            return (p.ExitCode, err.Result);
        }
        var m = $"dotnet '{dll}'";
        var piped = Bash($"{m} analyze <(cat '{input}') --gpu h100-sxm");
        Assert.True(piped.Code == 0, piped.Err);
        var full = Bash($"{m} analyze '{input}' --gpu h100-sxm > /dev/full");
        Assert.Equal(ExitCodes.Usage, full.Code);
        Assert.Contains("No space left on device", full.Err);
        Assert.Equal(ExitCodes.Usage, Bash($"{m} analyze /nonexistent.json 2>&-").Code);
        var closed = Bash($"{m} analyze '{input}' --gpu h100-sxm >&-");
        Assert.True(closed.Code is ExitCodes.Ok or ExitCodes.Usage, closed.Err);
        Assert.DoesNotContain("Unhandled exception", closed.Err);
    }

    // Class 8: every MICRO_<LIB>_PATH override pointing at a library that is not that library (libz, libc) is one line
    // naming the variable and the missing entry point, exit 2, whichever verb runs; none is listed as the library used.
    [Theory]
    [InlineData("memory", "--backend", "host", "--quick")]
    [InlineData("devices")]
    [InlineData("collectives", "-b", "8", "-e", "8", "-n", "1")]
    public void ALibraryOverrideThatIsAnotherLibraryIsRefused(params string[] args)
    {
        var lib = new[] { "/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/aarch64-linux-gnu/libz.so.1" }.FirstOrDefault(File.Exists);
        if (lib is null) Assert.Skip("no libz.so.1 (the stand-in library) on this machine");
        foreach (var spec in Micro.Devices.Native.NativeLibraries.Specs.Values)
        {
            var dir = CliRun.TempDir();
            var r = MicroChild.Run(args[0] == "devices" ? args : [.. args, "--out", dir], new Dictionary<string, string> { [spec.PathVariable] = lib });
            Assert.True(r.ExitCode == ExitCodes.Usage, $"{spec.PathVariable}: exit {r.ExitCode}: {r.Stderr}");
            var line = Assert.Single(r.ErrorLines);
            Assert.StartsWith($"micro: {spec.PathVariable}={lib}: ", line);
            Assert.Contains($"no entry point {spec.EntryPoint}", line);
            Assert.False(File.Exists(Path.Combine(dir, ResultsWriter.FileName)), $"{spec.PathVariable}: something was measured");
        }
    }

    // Class 8: an override that is the library is the one loaded (not the shim beside micro) and the one recorded.
    [Fact]
    public void ALibraryOverrideThatIsTheLibraryIsTheOneUsedAndRecorded()
    {
        var shim = Path.Combine(AppContext.BaseDirectory, "libmicro_hoststream.so");
        if (!File.Exists(shim) && Environment.GetEnvironmentVariable("MICRO_NATIVE_DIR") is { } native) shim = Path.Combine(native, "libmicro_hoststream.so");
        if (!File.Exists(shim)) Assert.Skip("libmicro_hoststream.so is not built (./scripts/build)");
        var elsewhere = CliRun.TempDir();
        File.Copy(shim, Path.Combine(elsewhere, "libmicro_hoststream.so"));
        var dir = CliRun.TempDir();
        // LD_DEBUG=files: the dynamic loader names every library whose initializer it runs.
        var r = MicroChild.Run(["memory", "--backend", "host", "--quick", "--kernel", "copy", "--out", dir],
            new Dictionary<string, string> { ["MICRO_HOSTSTREAM_PATH"] = elsewhere, ["LD_DEBUG"] = "files" });
        Assert.True(r.ExitCode == ExitCodes.Ok, r.Stderr[^Math.Min(2000, r.Stderr.Length)..]);
        var inits = r.ErrorLines.Where(l => l.Contains("calling init:", StringComparison.Ordinal) && l.Contains("libmicro_hoststream", StringComparison.Ordinal)).ToList();
        var init = Assert.Single(inits);
        Assert.EndsWith(Path.Combine(elsewhere, "libmicro_hoststream.so"), init.Trim());
        Assert.Contains(Path.Combine(elsewhere, "libmicro_hoststream.so"), File.ReadAllText(Path.Combine(dir, "ceilings.json")));
    }

    // Class 7: a verb that is not measuring stops within a second of SIGINT/SIGTERM with 130/143 and one line.
    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public async Task ASignalStopsAPredictionWithinASecond(string signal, int expected)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "micro.dll");
        var psi = new ProcessStartInfo("env") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        string[] args = ["--default-signal=INT", "dotnet", dll, .. Predict, "--num-prompts", "100000", "--concurrency", "1,2,4", "--force"];
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var ct = TestContext.Current.CancellationToken;
        var err = p.StandardError.ReadToEndAsync(ct);
        var output = p.StandardOutput.ReadToEndAsync(ct);
        var sw = Stopwatch.StartNew();
        // Wait for the announcement: the work has started.
        while (!p.HasExited && sw.Elapsed < TimeSpan.FromSeconds(30) && !File.Exists("/proc/" + p.Id + "/status")) await Task.Delay(50, ct);
        await Task.Delay(3000, ct);
        Assert.False(p.HasExited, "the prediction ended before the signal");
        Process.Start("kill", ["-" + signal, p.Id.ToString()])!.WaitForExit();
        var sent = Stopwatch.StartNew();
        if (!p.WaitForExit(TimeSpan.FromSeconds(10))) { p.Kill(); Assert.Fail("did not stop within 10 s of the signal"); }
        // Unsignalled this prediction runs for about 40 s on a 2-core machine; the one-second goal itself is measured by
        // hand (docs/limits.md), since a loaded CI machine can delay any process by seconds.
        Assert.True(sent.Elapsed < TimeSpan.FromSeconds(8), $"stopped {sent.Elapsed} after the signal");
        Assert.Equal(expected, p.ExitCode);
        Assert.Contains("interrupted by SIG" + signal, await err);
        await output;
    }
}
