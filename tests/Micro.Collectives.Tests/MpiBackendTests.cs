using System.Globalization;
using System.Text.Json;
using Micro.Core.Results;

namespace Micro.Collectives.Tests;

/// <summary>
/// The MPI backend for real: `mpirun -np N micro collectives --backend mpi`, every collective, sizes up to 1 MiB,
/// results verified element by element and the busbw factors checked in results.jsonl. Each run has a hard timeout.
/// </summary>
[Collection("mpirun")]
public sealed class MpiBackendTests
{
    private static readonly string[] AllOps = ["all_reduce", "all_gather", "reduce_scatter", "broadcast", "reduce", "alltoall", "sendrecv"];

    [Theory]
    [InlineData(2, "float,int32", "all")]
    [InlineData(4, "float", "sum,prod")]
    public void Every_collective_runs_verifies_and_reports_nccl_tests_figures(int ranks, string dtypes, string redops)
    {
        var dir = Directory.CreateTempSubdirectory("micro-coll-").FullName;
        var r = MpiRun.Run(ranks, $"collectives --backend mpi --coll all -b 16 -e 1M -f 16 -n 3 -w 1 -c 2 -d {dtypes} -o {redops} --timeout 60 --out {dir}", TimeSpan.FromSeconds(240));
        Assert.False(r.Killed, $"hard timeout hit after {r.Elapsed}: {r.Stderr}");
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}\n{r.Stdout}\n{r.Stderr}");

        // The table: one nccl-tests section per collective, each with its footer.
        foreach (var op in AllOps) Assert.Contains($"# Collective: {op}  ranks: {ranks}", r.Stdout);
        Assert.Equal(AllOps.Length, Count(r.Stdout, "# Out of bounds values : 0 OK"));
        Assert.Contains("#       size         count      type   redop    root     time   algbw   busbw  #wrong     time   algbw   busbw  #wrong", r.Stdout);
        CheckAvgBusBwFooters(r.Stdout);

        var records = ResultsReader.Read(Path.Combine(dir, "results.jsonl"));
        var nTypes = dtypes.Split(',').Length;
        var nRedops = redops == "all" ? 4 : redops.Split(',').Length;
        const int sizes = 5; // 16, 256, 4K, 64K, 1M
        Assert.Equal(2 * sizes * nTypes * (3 * nRedops + 4), records.Count);
        foreach (var rec in records)
        {
            var p = rec.Parameters;
            var c = rec.Collective!;
            var ctx = $"{rec.Case} {rec.DType} {c.Redop} size {c.SizeBytes} in_place {c.InPlace}";
            Assert.True(rec.Verification.Passed, ctx + ": " + rec.Verification);
            Assert.Equal(0, rec.Verification.Wrong);
            Assert.Equal(rec.Case, c.Op);
            var count = c.Count!.Value;
            if (count > 0 && rec.Case != "reduce") Assert.True(rec.Verification.Checked >= count * ranks, ctx + $": checked {rec.Verification.Checked}");
            Assert.Equal(ranks, c.Nranks);
            Assert.Equal(0, rec.Rank);
            Assert.Equal("mpi-wtime", rec.Timer);
            Assert.Equal(3, rec.Time.Count);

            // nccl-tests' byte counts and bus factors (doc/PERFORMANCE.md), recomputed here from scratch.
            var es = rec.DType == "float" || rec.DType == "int32" ? 4 : 2;
            var n = ranks;
            var (algBytes, factor, size) = rec.Case switch
            {
                "all_reduce" => (count * es, 2.0 * (n - 1) / n, count * es),
                "all_gather" or "reduce_scatter" or "alltoall" => (count * es * n, (double)(n - 1) / n, count * es * n),
                _ => (count * es, 1.0, count * es),
            };
            Assert.Equal(algBytes, long.Parse(p["alg_bytes"], CultureInfo.InvariantCulture));
            Assert.Equal(size, c.SizeBytes);
            Assert.Equal(factor, double.Parse(p["bus_factor"], CultureInfo.InvariantCulture), 12);
            var time = double.Parse(p["time_us_mean_rank_avg"], CultureInfo.InvariantCulture) * 1e-6;
            var alg = double.Parse(p["algbw_gbps"], CultureInfo.InvariantCulture);
            var bus = double.Parse(p["busbw_gbps"], CultureInfo.InvariantCulture);
            Assert.Equal(algBytes / time / 1e9, alg, 9);
            Assert.Equal(alg * factor, bus, 9);
            var min = double.Parse(p["time_us_mean_rank_min"], CultureInfo.InvariantCulture);
            var max = double.Parse(p["time_us_mean_rank_max"], CultureInfo.InvariantCulture);
            Assert.True(min <= time * 1e6 * (1 + 1e-9) && time * 1e6 <= max * (1 + 1e-9), ctx + ": rank avg outside [min, max]");
            Assert.Equal((long)Math.Round(algBytes * factor), rec.Bytes);
        }
        // Every collective at the 1 MiB end of the sweep.
        foreach (var op in AllOps) Assert.Contains(records, x => x.Case == op && x.Collective!.SizeBytes == 1048576);
        var ceilings = File.ReadAllText(Path.Combine(dir, "ceilings.json"));
        Assert.Contains("collective_latency", ceilings);
        Assert.Contains("collective_busbw", ceilings);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Stalled_rank_makes_the_others_exit_with_the_timeout_message_within_twice_the_budget()
    {
        // Baseline: start-up and one tiny point, to separate launch cost from the watchdog's wait.
        var baseline = MpiRun.Run(2, "collectives --backend mpi -b 16 -e 16 -n 1 -w 0 -c 0 --timeout 20", TimeSpan.FromSeconds(60));
        Assert.True(baseline.ExitCode == 0, baseline.Stdout + baseline.Stderr);
        const int budget = 3;
        var r = MpiRun.Run(2, $"collectives --backend mpi -b 16 -e 16 -n 1 -w 0 --timeout {budget} --test-stall-rank 1 --test-stall-seconds 120", TimeSpan.FromSeconds(60));
        Assert.False(r.Killed, $"the hard timeout had to stop it: {r.Stderr}");
        Assert.NotEqual(0, r.ExitCode);
        var all = r.Stdout + r.Stderr;
        Assert.Contains("timed out: rank 0: all_reduce of 16 bytes (out-of-place) did not complete within 3 s", all);
        Assert.Contains("timed out (out-of-place, 3 s watchdog)", r.Stdout);
        // Start-up dominates both runs and varies with machine load, hence the baseline's own length as slack.
        Assert.True(r.Elapsed < 2 * baseline.Elapsed + TimeSpan.FromSeconds(2 * budget),
            $"stall run took {r.Elapsed.TotalSeconds:F1} s; baseline {baseline.Elapsed.TotalSeconds:F1} s, budget {budget} s");
    }

    [Fact]
    public void A_wrong_element_fails_the_row_and_the_exit_code()
    {
        var r = MpiRun.Run(2, "collectives --backend mpi --coll all_reduce,all_gather -b 1K -e 4K -f 4 -n 2 -w 1 --timeout 20 --test-corrupt-rank 1", TimeSpan.FromSeconds(60));
        Assert.Equal(1, r.ExitCode);
        // Per collective section: 2 sizes x 2 placements x 1 corrupted element.
        Assert.Equal(2, r.Stdout.Split('\n').Count(l => l.StartsWith("# Out of bounds values : 4 FAILED", StringComparison.Ordinal)));
        Assert.Contains("failed verification", r.Stderr);
        var rows = r.Stdout.Split('\n').Where(l => l.StartsWith("        1024", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, l => Assert.Equal("1", l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[8]));
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }

    /// <summary>Each section's `# Avg bus bandwidth` is the mean of its printed busbw column (both placements), as in nccl-tests.</summary>
    private static void CheckAvgBusBwFooters(string stdout)
    {
        var column = new List<double>();
        foreach (var line in stdout.Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (line.StartsWith("# Collective:", StringComparison.Ordinal)) column.Clear();
            else if (f.Length >= 13 && char.IsDigit(line.TrimStart()[0]))
            {
                column.Add(double.Parse(f[7], CultureInfo.InvariantCulture));
                column.Add(double.Parse(f[11], CultureInfo.InvariantCulture));
            }
            else if (line.StartsWith("# Avg bus bandwidth", StringComparison.Ordinal))
            {
                var printed = double.Parse(line.Split(':')[1].Trim(), CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(column.Average() - printed) <= 0.005 + 1e-4 * printed, $"footer {printed} vs column mean {column.Average()}");
            }
        }
    }
}
