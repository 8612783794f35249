using System.Diagnostics;
using System.Globalization;

namespace Micro.Cli.Tests;

/// <summary>
/// Runs the CLI (micro.dll beside the tests) as a child process under GNU time, which reports the child's peak RSS
/// from wait4's rusage: a fault's memory bound is asserted on the process that has it, not on the test runner.
/// </summary>
internal static class MicroChild
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, long PeakRssBytes)
    {
        public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private const string Time = "/usr/bin/time";

    /// <param name="stdinFrom">a shell command whose output is piped into the child's stdin (e.g. "yes"), or null.</param>
    public static Result Run(string[] args, IReadOnlyDictionary<string, string>? env = null, string? stdinFrom = null)
    {
        if (!File.Exists(Time)) Assert.Skip("GNU time (/usr/bin/time) is not installed: apt-get install time");
        var dll = Path.Combine(AppContext.BaseDirectory, "micro.dll");
        if (!File.Exists(dll)) Assert.Skip($"{dll} is missing (build tests/Micro.Cli.Tests)");
        var rss = Path.GetTempFileName();
        var command = new List<string> { Time, "-o", rss, "-f", "%M", "dotnet", dll };
        command.AddRange(args);
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        var line = string.Join(' ', command.Select(Quote));
        psi.ArgumentList.Add(stdinFrom is null ? "exec " + line + " </dev/null" : $"{stdinFrom} | {line}");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["TERM"] = "dumb";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"micro {string.Join(' ', args)} did not finish in 60 s");
        }
        var kb = File.ReadAllText(rss).Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        File.Delete(rss);
        return new Result(p.ExitCode, stdout.Result, stderr.Result, long.Parse(kb.Trim(), CultureInfo.InvariantCulture) * 1024);
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
