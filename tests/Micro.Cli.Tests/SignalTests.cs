using System.Diagnostics;
using Micro.Core.Ceilings;
using Micro.Core.Results;
using Micro.Tests.Shared;

namespace Micro.Cli.Tests;

/// <summary>
/// `micro run --backend host` in a child process: it loads no GPU library (the dynamic loader, LD_DEBUG=libs, never
/// looks one up), and SIGINT/SIGTERM after the first point abandon the point in progress, write ceilings.json from
/// what was measured, say so and exit 130/143.
/// </summary>
public class SignalTests
{
    private static readonly string[] GpuLibraries = ["libcuda", "libnvrtc", "nvidia-ml", "libcublas", "libnccl", "librccl", "libcudart", "libamdhip"];

    [Theory]
    [InlineData("INT", 130, "SIGINT")]
    [InlineData("TERM", 143, "SIGTERM")]
    public async Task RunBackendHostStopsCleanlyOnASignalAndLoadsNoGpuLibrary(string signal, int expected, string name)
    {
        var native = Environment.GetEnvironmentVariable("MICRO_NATIVE_DIR") is { Length: > 0 } d ? d : Path.Combine(TestPaths.RepoRoot, "build", "cli");
        if (!File.Exists(Path.Combine(native, "libmicro_hoststream.so"))) Assert.Skip($"{native} has no libmicro_hoststream.so: run scripts/build first");
        var dir = CliRun.TempDir();
        var cli = Path.Combine(AppContext.BaseDirectory, "micro.dll");
        // env --default-signal: a process started in the background inherits SIGINT ignored, and .NET keeps it so.
        var psi = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Points of many iterations (a quick run's sizes are a quarter of the LLC and four times it), so the signal lands inside one.
        foreach (var a in new[] { "--default-signal=INT", "dotnet", cli, "run", "--backend", "host", "--quick", "--iterations", "20", "--warmup", "0", "--out", dir })
            psi.ArgumentList.Add(a);
        psi.Environment["MICRO_NATIVE_DIR"] = native;
        psi.Environment["LD_DEBUG"] = "libs";
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using var p = Process.Start(psi)!;
        var ct = TestContext.Current.CancellationToken;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        var results = Path.Combine(dir, ResultsWriter.FileName);
        var sw = Stopwatch.StartNew();
        while (!(File.Exists(results) && File.ReadAllText(results).Contains('\n')) && !p.HasExited && sw.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50, ct);
        if (p.HasExited) Assert.Fail($"exited {p.ExitCode} before the signal: {await stdout} {await stderr}");
        Process.Start("kill", ["-" + signal, p.Id.ToString()])!.WaitForExit();
        if (!p.WaitForExit(TimeSpan.FromSeconds(30))) { p.Kill(); Assert.Fail("did not stop within 30 s of the signal"); }
        var (output, err) = (await stdout, await stderr);
        Assert.True(p.ExitCode == expected, $"exit {p.ExitCode}\n{output}\n{err[^Math.Min(err.Length, 3000)..]}");
        Assert.Contains($"micro: interrupted by {name}", err);
        Assert.Contains("written with ceilings.json from them", err);
        var records = ResultsReader.Read(results);
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.Equal("host", r.Backend));
        var profile = CeilingsFile.Read(Path.Combine(dir, CeilingsProfile.FileName));
        Assert.Contains("run --backend host", profile.Context.CommandLine);
        // No GPU library was ever looked up, and no "no CUDA driver" line was printed.
        Assert.DoesNotContain("no CUDA driver", output + err);
        foreach (var lib in GpuLibraries) Assert.DoesNotContain("find library=" + lib, err);
        Assert.Contains("find library=", err); // LD_DEBUG did trace the loader
    }
}
