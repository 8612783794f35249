using Micro.Cli;
using Micro.Suites.Collectives;

namespace Micro.Collectives.Tests;

/// <summary>
/// nccl-tests' flags: the values micro can honour run as written (-g 1 -t 1 -a N -z 0 -m 1 -F 0, --iters, --warmup_iters,
/// -o avg on NCCL/RCCL), every other value is one line naming the flag and why, and the default backend falls back
/// from NCCL/RCCL to MPI in host memory, saying so, so the nccl-tests command line runs on a machine without a GPU.
/// </summary>
public sealed class NcclTestsFlagsTests
{
    [Theory]
    [InlineData("-g 8", "--ngpus 8: micro drives one GPU per process; run 8 ranks instead")]
    [InlineData("-t 2", "--nthreads 2: micro runs one thread per process")]
    [InlineData("-z 1", "--blocking 1: not honoured")]
    [InlineData("-m 4", "--agg_iters 4: not honoured")]
    [InlineData("-F 1", "--cache_flush 1: not honoured")]
    [InlineData("-a 7", "--average 7: nccl-tests' values are 0 (rank 0), 1 (average over ranks), 2 (minimum), 3 (maximum)")]
    [InlineData("--backend mpi -o avg", "--op avg: the mpi backend has no average reduction")]
    public async Task Values_micro_cannot_honour_are_one_line_exit_two(string args, string expected)
    {
        var err = new StringWriter();
        var code = await CliApp.RunAsync(["collectives", .. args.Split(' ')], new StringWriter(), err);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("micro: " + expected, Assert.Single(err.ToString().Trim().Split('\n'))[..("micro: " + expected).Length]);
    }

    [Theory]
    [InlineData("-p", "parallel init: micro runs one process per rank")]
    [InlineData("-C", "CPU time: micro reports device time")]
    public async Task An_nccl_tests_flag_micro_does_not_take_says_why_in_one_line(string flag, string why)
    {
        var err = new StringWriter();
        var code = await CliApp.RunAsync(["collectives", flag, "1"], new StringWriter(), err);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"micro collectives does not take nccl-tests' {flag} ({why}).", Assert.Single(err.ToString().Trim().Split('\n')));
    }

    [Fact]
    public void The_nccl_tests_command_line_runs_and_falls_back_to_mpi_without_a_gpu_library()
    {
        var r = MpiRun.Run(2, "collectives -b 1K -e 1K -g 1 -n 5 -w 1", TimeSpan.FromMinutes(4));
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Stdout}\n{r.Stderr}");
        if (r.Stdout.Contains("backend nccl", StringComparison.Ordinal)) return; // a GPU box: NCCL came up
        Assert.Contains("# backend auto: no nccl, no rccl library here; measuring mpi (host memory, not a GPU figure)", r.Stdout);
        Assert.Contains("nThread 1 nGpus 1 minBytes 1024 maxBytes 1024", r.Stdout);
        Assert.Contains("warmup iters: 1 iters: 5", r.Stdout);
    }

    [Fact]
    public void Every_honourable_flag_runs_under_its_nccl_tests_spelling()
    {
        var r = MpiRun.Run(2, "collectives --backend mpi -b 1K -e 2K -t 1 -g 1 -a 3 -z 0 -m 1 -F 0 --iters 3 --warmup_iters 1 -o all -c 1 -d float", TimeSpan.FromMinutes(4));
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Stdout}\n{r.Stderr}");
        // -o all on MPI measures sum, prod, max and min (avg is NCCL/RCCL only).
        foreach (var op in new[] { " sum ", " prod ", " max ", " min " }) Assert.Contains(op, r.Stdout);
        Assert.DoesNotContain(" avg ", r.Stdout);
    }

    [Theory]
    [InlineData(2, CollectiveDType.Float)]
    [InlineData(3, CollectiveDType.Int32)]
    [InlineData(8, CollectiveDType.BFloat16)]
    public void Avg_inputs_sum_to_a_multiple_of_the_ranks_so_the_expected_average_is_exact(int n, CollectiveDType t)
    {
        var spec = CollectiveTable.Get(CollectiveOp.AllReduce);
        for (var rep = 0; rep < 3; rep++)
        {
            var pattern = new InputPattern(n, t, RedOp.Avg, rep);
            for (long e = 0; e < 64; e++)
            {
                var values = Enumerable.Range(0, n).Select(r => pattern.Value(r, e)).ToList();
                var want = spec.Expected(new ExpectedArgs(0, n, 0, 64, e, RedOp.Avg, pattern.Value))!.Value;
                Assert.Equal(values.Sum() / n, want);
                Assert.Equal(Math.Round(want), want);
                // One rank's contribution differs, so a rank that sent nothing would change the average.
                Assert.Equal(2, values.Distinct().Count());
            }
        }
    }
}
