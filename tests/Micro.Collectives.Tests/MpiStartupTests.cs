using System.Diagnostics;

namespace Micro.Collectives.Tests;

/// <summary>
/// Issue 21, class 8: a rank that never starts (here the job's second process is `sleep`, which never calls MPI_Init)
/// leaves the ranks that did start waiting in MPI start-up; past --timeout each says so in one line, naming the rank
/// that never announced itself under --out, and exits 3.
/// </summary>
[Collection("mpirun")]
public sealed class MpiStartupTests
{
    [Fact]
    public async Task ARankThatNeverStartsEndsTheJobAtTheTimeoutWithOneLine()
    {
        var dir = Directory.CreateTempSubdirectory("micro-coll-startup-").FullName;
        var psi = MpiRun.StartInfo(1, $"collectives --backend mpi -b 8 -e 1K -f 2 --timeout 5 --out {dir}", TimeSpan.FromSeconds(300));
        foreach (var a in new[] { ":", "-np", "1", "sleep", "600" }) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var job = Process.Start(psi)!;
        var stdout = job.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = job.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await job.WaitForExitAsync(TestContext.Current.CancellationToken);
        var err = await stderr;
        await stdout;
        Assert.True(job.ExitCode == 3, $"exit {job.ExitCode} after {sw.Elapsed}: {err}");
        var line = Assert.Single(err.Split('\n'), l => l.StartsWith("micro: ", StringComparison.Ordinal));
        Assert.Contains("rank 0 of 2: the job did not start within --timeout 5 s", line);
        // The rank that started announced itself under --out; the one that never did is named.
        Assert.Contains("missing: rank 1 (no start-up announcement in", line);
        Assert.DoesNotContain("rank 0,", line);
        Assert.False(File.Exists(Path.Combine(dir, "results.jsonl")) && new FileInfo(Path.Combine(dir, "results.jsonl")).Length > 0);
    }
}
