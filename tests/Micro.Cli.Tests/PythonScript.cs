using System.Diagnostics;
using Micro.Tests.Shared;

namespace Micro.Cli.Tests;

/// <summary>Runs one of the repository's python-backed scripts (scripts/NAME) with arguments and environment, stdin closed,
/// within 60 s; skips where python3 is absent.</summary>
internal static class PythonScript
{
    public sealed record Result(int Code, string Out, string Err);

    public static Result Run(string name, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        if (!File.Exists("/usr/bin/python3")) Assert.Skip($"python3 is not installed (scripts/{name} needs it)");
        var psi = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(TestPaths.RepoRoot, "scripts", name));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"scripts/{name} did not finish in 60 s");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
