using System.Diagnostics;
using System.Text.RegularExpressions;
using Micro.Tests.Shared;

namespace Micro.Cli.Tests;

/// <summary>
/// Issue 21, every class at once against the CLI as a user runs it: scripts/hostile-sweep starts micro (the micro.dll
/// beside these tests) for each of its cases under `timeout 60` and checks the exit code, that no stack trace and no
/// second line reaches stderr, that the line names the file or option, and that nothing written holds "NaN",
/// "Infinity" or a control character. The table of cases is the script's, so a person can run it on a build too.
/// </summary>
public partial class HostileSweepTests
{
    [Fact]
    public async Task EveryCaseOfTheSweepKeepsThePromise()
    {
        foreach (var tool in new[] { "python3", "timeout", "mkfifo" })
            if (!OnPath(tool)) Assert.Skip($"{tool} is not installed (the sweep needs it)");
        var dll = Path.Combine(AppContext.BaseDirectory, "micro.dll");
        if (!File.Exists(dll)) Assert.Skip($"{dll} is missing (build tests/Micro.Cli.Tests)");
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(TestPaths.RepoRoot, "scripts", "hostile-sweep"));
        psi.Environment["MICRO"] = dll;
        psi.Environment["TERM"] = "dumb";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(10));
        try { await p.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("scripts/hostile-sweep did not finish in 10 minutes");
        }
        var output = await stdout + await stderr;
        var summary = Summary().Match(output);
        Assert.True(summary.Success, $"no summary line from the sweep (exit {p.ExitCode}): {output}");
        Assert.True(int.Parse(summary.Groups[1].Value) >= 60, $"the sweep ran only {summary.Groups[1].Value} cases: {output}");
        Assert.True(p.ExitCode == 0 && summary.Groups[2].Value == "0", output);
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    [GeneratedRegex(@"hostile-sweep: (\d+) case\(s\) tried, (\d+) failing")]
    private static partial Regex Summary();
}
