using System.Diagnostics;

namespace Micro.Collectives.Tests;

/// <summary>Runs build/cli/micro under mpirun with a hard timeout, as CI does (root, 2 cores, shared memory only).</summary>
internal static class MpiRun
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, bool Killed);

    public static string? Mpirun =>
        new[] { "/usr/bin/mpirun", "/usr/local/bin/mpirun" }.FirstOrDefault(File.Exists);

    /// <summary>The CLI and shim from scripts/build (MICRO_NATIVE_DIR), or skips with the reason.</summary>
    public static string Cli()
    {
        if (Mpirun is null) Assert.Skip("mpirun not installed (scripts/setup installs openmpi-bin)");
        var dir = Environment.GetEnvironmentVariable("MICRO_NATIVE_DIR") is { Length: > 0 } d ? d : Path.Combine(TestPaths.RepoRoot, "build", "cli");
        var cli = Path.Combine(dir, "micro");
        if (!File.Exists(cli) || !File.Exists(Path.Combine(dir, "libmicro_coll.so")))
            Assert.Skip($"{dir} has no micro + libmicro_coll.so: run scripts/build first");
        return cli;
    }

    public static Result Run(int ranks, string args, TimeSpan hardTimeout)
    {
        var psi = StartInfo(ranks, args, hardTimeout);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        sw.Stop();
        return new Result(p.ExitCode, stdout.Result, stderr.Result, sw.Elapsed, p.ExitCode is 124 or 137);
    }

    /// <summary>`timeout -k 5 T mpirun ... -np N micro ARGS`, output redirected, for a test that acts on the job while it runs.</summary>
    public static ProcessStartInfo StartInfo(int ranks, string args, TimeSpan hardTimeout)
    {
        var cli = Cli();
        var psi = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // setsid(1): the job runs in a session of its own, so no signal its launcher sends to its group or session can
        // reach the test runner (a parallel test assembly once ended with exit 0, as on SIGTERM, during an mpirun test).
        // timeout(1) next: it kills mpirun and its ranks if anything hangs, so a test can never block CI.
        foreach (var a in new[] { "--wait", "timeout", "-k", "5", ((int)hardTimeout.TotalSeconds).ToString(), Mpirun!, "--allow-run-as-root", "--oversubscribe",
                     "--mca", "btl", "self,vader", "--mca", "btl_vader_single_copy_mechanism", "none", "--mca", "rmaps_base_oversubscribe", "1",
                     "-np", ranks.ToString(), cli })
            psi.ArgumentList.Add(a);
        foreach (var a in args.Split(' ', StringSplitOptions.RemoveEmptyEntries)) psi.ArgumentList.Add(a);
        psi.Environment["OMPI_MCA_plm_rsh_agent"] = "false";
        psi.Environment["OMPI_MCA_mpi_yield_when_idle"] = "1";
        psi.Environment["TERM"] = "dumb";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return psi;
    }
}
