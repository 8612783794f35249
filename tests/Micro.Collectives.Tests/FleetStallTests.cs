namespace Micro.Collectives.Tests;

/// <summary>
/// Fleet mode with a stalled rank, for real: under mpirun one rank stops itself with SIGSTOP (--test-stop-rank), and the
/// job must end with ExitCodes.Timeout (3) and one line that names the stalled rank once, not a chain of "rank 0:" prefixes.
/// The collectives suite skips at once without NCCL, so the run is only MPI start-up, the stall and the timeout.
/// </summary>
[Collection("mpirun")]
public sealed class FleetStallTests
{
    [Theory]
    [InlineData(2, 1, 0)]
    [InlineData(3, 0, 1)]
    public void A_stopped_rank_is_named_once_and_the_job_exits_3(int ranks, int stopped, int noticer)
    {
        var dir = Directory.CreateTempSubdirectory("micro-fleet-stall-").FullName;
        try
        {
            var r = MpiRun.Run(ranks, $"run --fleet --suite collectives --fleet-timeout 3 --test-stop-rank {stopped} --out {dir}", TimeSpan.FromSeconds(90));
            Assert.False(r.Killed, $"hard timeout hit after {r.Elapsed}: {r.Stderr}");
            var all = r.Stdout + r.Stderr;
            Assert.True(r.ExitCode == Micro.Cli.ExitCodes.Timeout, $"exit {r.ExitCode}\n{all}");
            var lines = all.Split('\n').Where(l => l.Contains("stalled", StringComparison.Ordinal)).ToList();
            var line = Assert.Single(lines);
            Assert.Contains($"micro run --fleet: rank {stopped} stalled: has not finished measuring within 3 s (noticed by rank {noticer} ", line);
            Assert.DoesNotContain("rank 0: rank 0", all);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

/// <summary>A root outside the job is bad input (exit 2, naming --root and the range), found once the job size is known.</summary>
[Collection("mpirun")]
public sealed class RootRangeTests
{
    [Fact]
    public void Root_beyond_the_ranks_is_exit_2_naming_the_range()
    {
        var r = MpiRun.Run(2, "collectives --backend mpi --coll broadcast -b 1K -e 1K -n 1 -w 0 -r 9", TimeSpan.FromSeconds(90));
        Assert.False(r.Killed, $"hard timeout hit after {r.Elapsed}: {r.Stderr}");
        Assert.True(r.ExitCode == Micro.Cli.ExitCodes.Usage, $"exit {r.ExitCode}\n{r.Stdout}\n{r.Stderr}");
        Assert.Single(r.Stderr.Split('\n'), l => l.Contains("micro: collectives: --root 9: the job has ranks 0..1", StringComparison.Ordinal));
    }
}
