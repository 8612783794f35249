using System.Globalization;
using Micro.Suites.Collectives;

namespace Micro.Collectives.Tests;

/// <summary>The three public nccl-tests / rccl-tests logs in ../shared/data/collectives.</summary>
public sealed class NcclTestsImportTests
{
    public static TheoryData<string, string, int, int> Logs => new()
    {
        // file, printed Avg bus bandwidth, ranks, rows
        { "collectives/nccl_2x8xh100_a3mega_tcpxo_allreduce.txt", "70.742", 16, 31 },
        { "collectives/rccl_8xmi300x_allreduce.txt", "110.464", 8, 31 },
        { "collectives/rccl_2x8xmi300x_allreduce.txt", "92.3318", 16, 32 },
    };

    private static NcclTestsLog Load(string file) => NcclTestsLogParser.Parse(TestPaths.SharedFile(file));

    [Theory]
    [MemberData(nameof(Logs))]
    public void Parses_header_rows_and_footer(string file, string avg, int ranks, int rows)
    {
        var log = Load(file);
        Assert.Equal(CollectiveOp.AllReduce, log.Op);
        Assert.Equal(ranks, log.NRanks);
        Assert.Equal(rows, log.Rows.Count);
        Assert.Equal(avg, log.AvgBusBw);
        Assert.Equal("0", log.OutOfBounds);
        Assert.Equal(8, log.Rows[0].Size);
        Assert.Equal(2, log.Rows[0].Count);
        Assert.All(log.Rows, r => Assert.Equal(("float", "sum", (int?)-1), (r.Type, r.RedOp, r.Root)));
        Assert.All(log.Rows, r => Assert.Equal(r.Count * 4, r.Size));
        Assert.Equal(file.Contains("rccl") ? "rccl-tests" : "nccl-tests", log.Tool);
        Assert.Contains(file.Contains("rccl") ? "MI300X" : "H100", log.Device);
    }

    [Theory]
    [MemberData(nameof(Logs))]
    public void Busbw_recomputed_from_printed_size_time_and_ranks_matches_printed_busbw(string file, string avg, int ranks, int rows)
    {
        _ = (avg, rows);
        var log = Load(file);
        var compared = 0;
        foreach (var r in log.Rows)
        {
            foreach (var f in new[] { r.OutOfPlace, r.InPlace })
            {
                var recomputed = NcclTestsLogParser.RecomputeBusBw(CollectiveOp.AllReduce, r.Count, r.Type, f.TimeUs, ranks);
                // busbw is printed to 0.01 and the time to 4-5 significant digits.
                var tolerance = Math.Max(0.01, 0.005 * f.BusBwGBps);
                Assert.True(Math.Abs(recomputed - f.BusBwGBps) <= tolerance,
                    $"{file} line {r.Line}: printed busbw {f.BusBw}, recomputed {recomputed:F4} from time {f.Time} us and {ranks} ranks");
                // algbw = bytes / time, busbw = algbw x 2(n-1)/n.
                var alg = r.Size / (f.TimeUs * 1e-6) / 1e9;
                Assert.True(Math.Abs(alg - f.AlgBwGBps) <= Math.Max(0.01, 0.005 * f.AlgBwGBps), $"{file} line {r.Line}: algbw {f.AlgBw} vs {alg:F4}");
                compared++;
            }
        }
        Assert.Equal(2 * log.Rows.Count, compared);
    }

    [Theory]
    [MemberData(nameof(Logs))]
    public void Mean_of_printed_busbw_column_reproduces_avg_bus_bandwidth(string file, string avg, int ranks, int rows)
    {
        _ = (ranks, rows);
        var log = Load(file);
        var mean = log.Rows.SelectMany(r => new[] { r.OutOfPlace.BusBwGBps, r.InPlace.BusBwGBps }).Average();
        var printed = double.Parse(avg, CultureInfo.InvariantCulture);
        var decimals = avg.Contains('.') ? avg.Length - avg.IndexOf('.') - 1 : 0;
        // The log averages unrounded figures; its column is rounded to 0.01, so the mean may differ by up to 0.005.
        Assert.True(Math.Abs(mean - printed) <= 0.005, $"{file}: mean of printed busbw {mean:F5} vs Avg bus bandwidth {avg}");
        Assert.Equal(printed, Math.Round(mean, Math.Min(decimals, 2)), 2);
    }

    [Fact]
    public void Records_keep_every_printed_figure_as_printed()
    {
        var log = Load("collectives/rccl_8xmi300x_allreduce.txt");
        var records = NcclTestsImport.ToRecords(log);
        Assert.Equal(2 * log.Rows.Count, records.Count);
        var big = records.Single(r => r.Collective is { SizeBytes: 2147483648, InPlace: false });
        Assert.Equal("11940", big.Parameters["time_us_printed"]);
        Assert.Equal("179.86", big.Parameters["algbw_gbps_printed"]);
        Assert.Equal("314.75", big.Parameters["busbw_gbps_printed"]);
        Assert.Equal("0", big.Parameters["wrong_printed"]);
        Assert.Equal(0.011940, big.Time.Mean, 12);
        Assert.Equal(314.75, big.Bandwidth!.Median);
        Assert.Equal("all_reduce", big.Case);
        Assert.Equal("rccl-tests", big.Backend);
        Assert.Equal("imported", big.Timer);
        Assert.True(big.Verification.Passed);
    }

    [Fact]
    public void Bad_row_names_file_line_and_field()
    {
        string[] lines =
        [
            "#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong",
            "           8             2     float     sum      -1    19.28    0.00    0.00      0    17.24    0.00    0.00      0",
            "          16             4     float     sum      -1    abc    0.00    0.00      0    16.53    0.00    0.00      0",
        ];
        var e = Assert.Throws<Micro.Core.Results.InputException>(() => NcclTestsLogParser.Parse("x.txt", lines));
        Assert.Contains("x.txt", e.Message);
        Assert.Contains("line 3", e.Message);
        Assert.Contains("time", e.Message);
        Assert.Throws<Micro.Core.Results.InputException>(() => NcclTestsLogParser.Parse("empty.txt", ["# nothing here"]));
    }

    [Fact]
    public void Rows_without_root_column_parse()
    {
        string[] lines =
        [
            "# all_gather_perf",
            "#       size         count      type   redop     time   algbw   busbw  error     time   algbw   busbw  error",
            "        1024            32     float    none    10.00    0.10    0.09  0e+00    10.00    0.10    0.09  0e+00",
        ];
        var ex = Record.Exception(() => NcclTestsLogParser.Parse("old.txt", lines));
        // Older nccl-tests printed a max error ("0e+00") instead of #wrong: reported as bad input, not misread.
        Assert.IsType<Micro.Core.Results.InputException>(ex);
        string[] ok =
        [
            "#       size         count      type   redop     time   algbw   busbw #wrong     time   algbw   busbw #wrong",
            "        1024            32     float    none    10.00    0.10    0.09      0    10.00    0.10    0.09    N/A",
        ];
        var log = NcclTestsLogParser.Parse("ok.txt", ok);
        Assert.Null(log.Rows[0].Root);
        Assert.Null(log.Rows[0].InPlace.WrongCount);
    }
}
