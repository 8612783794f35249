using System.Globalization;
using Micro.Core.Results;
using Micro.Suites.Memory.Import;
using Micro.Tests.Shared;

namespace Micro.Suites.Tests;

public class BabelStreamImportTests
{
    private static readonly string[] Files =
    [
        "babelstream/babelstream_a100_sxm4_40gb_polaris.txt",
        "babelstream/babelstream_a100_sxm4_80gb_tursa.txt",
        "babelstream/babelstream_mi300a_cpx_1xcd.txt",
    ];

    [Fact]
    public void EverySharedFileReproducesEveryRowAsPrinted()
    {
        var dir = Path.GetDirectoryName(TestPaths.SharedFile(Files[0]))!;
        var files = Directory.GetFiles(dir, "*.txt");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var records = BabelStreamImport.Read(file);
            var lines = File.ReadAllLines(file);
            var header = Array.FindIndex(lines, l => l.StartsWith("Function", StringComparison.Ordinal));
            var rows = lines.Skip(header + 1).Where(l => l.Trim().Length > 0).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
            Assert.Equal(rows.Length, records.Count);
            for (var i = 0; i < rows.Length; i++)
            {
                var (row, r) = (rows[i], records[i]);
                Assert.Equal(row[0].ToLowerInvariant(), r.Case);
                Assert.Equal("babelstream", r.Backend);
                Assert.Equal("imported", r.Timer);
                Assert.Equal(row[1], r.Parameters["mbytes_per_sec"]);
                Assert.Equal(row[2], r.Parameters["min_sec"]);
                Assert.Equal(row[3], r.Parameters["max_sec"]);
                Assert.Equal(row[4], r.Parameters["avg_sec"]);
                // The numbers, printed back with BabelStream's precision, are the printed text.
                Assert.Equal(row[1], (r.Bandwidth!.Best * 1000).ToString(Decimals(row[1]), CultureInfo.InvariantCulture));
                Assert.Equal(row[2], r.Time.Min.ToString(Decimals(row[2]), CultureInfo.InvariantCulture));
                Assert.Equal(row[3], r.Time.Max.ToString(Decimals(row[3]), CultureInfo.InvariantCulture));
                Assert.Equal(row[4], r.Time.Mean.ToString(Decimals(row[4]), CultureInfo.InvariantCulture));
                Assert.True(double.IsNaN(r.Time.Median), "BabelStream prints no median; none may be invented");
                Assert.Equal("double", r.DType);
            }
        }
    }

    [Fact]
    public void DeviceAndContextComeFromTheHeader()
    {
        var records = BabelStreamImport.Read(TestPaths.SharedFile(Files[0]));
        Assert.All(records, r => Assert.Equal("NVIDIA A100-SXM4-40GB", r.Device));
        Assert.Equal(["copy", "mul", "add", "triad", "dot"], records.Select(r => r.Case));
        var triad = records.Single(r => r.Case == "triad");
        Assert.Equal(1377.517491, triad.Bandwidth!.Best, 6);
        Assert.Equal(100, triad.Time.Count);
        Assert.Equal(3L * 268_400_000, triad.Bytes);
        Assert.Equal("CUDA", triad.Parameters["implementation"]);
        var hip = BabelStreamImport.Read(TestPaths.SharedFile(Files[2]));
        Assert.All(hip, r => Assert.Equal("AMD Instinct MI300A", r.Device));
    }

    [Fact]
    public void CsvFormIsReadWithExactByteCounts()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("micro-bs-").FullName, "bs.csv");
        File.WriteAllText(path, """
            function,num_times,n_elements,sizeof,max_mbytes_per_sec,min_runtime,max_runtime,avg_runtime
            Copy,100,33554432,8,1709360.800,0.000314,0.000320,0.000316
            Triad,100,33554432,8,1724827.354,0.000467,0.000470,0.000468
            Nstream,100,33554432,8,1720000.000,0.000624,0.000630,0.000626

            """);
        var records = BabelStreamImport.Read(path);
        Assert.Equal(["copy", "triad", "nstream"], records.Select(r => r.Case));
        Assert.Equal(3L * 33554432 * 8, records[1].Bytes);
        Assert.Equal(4L * 33554432 * 8, records[2].Bytes);
        Assert.Equal(1724.827354, records[1].Bandwidth!.Best, 9);
        Assert.Equal(0.000467, records[1].Time.Min);
        Assert.Equal("1724827.354", records[1].Parameters["mbytes_per_sec"]);
    }

    [Theory]
    [InlineData("Precision: double\nFunction    MBytes/sec  Min (sec)   Max         Average\nCopy 1.0 0.1 0.2\n", "line 3", "expected 5 columns")]
    [InlineData("Precision: double\nFunction    MBytes/sec  Min (sec)   Max         Average\nCopy 1.0 x 0.2 0.3\n", "line 3: Min (sec)", "non-negative number")]
    [InlineData("Precision: double\nFunction    MBytes/sec  Min (sec)   Max         Average\nFrobnicate 1.0 0.1 0.2 0.3\n", "line 3", "unknown BabelStream function")]
    [InlineData("function,num_times,n_elements,sizeof,max_mbytes_per_sec,min_runtime,max_runtime,avg_runtime\nCopy,100,-5,8,1.0,0.1,0.2,0.3\n", "line 2: n_elements", "positive integer")]
    [InlineData("hello\nworld\n", null, "no BabelStream results")]
    public void BadFilesNameFileLineAndReason(string text, string? field, string reason)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("micro-bs-").FullName, "bad.txt");
        File.WriteAllText(path, text);
        var e = Assert.Throws<InputException>(() => BabelStreamImport.Read(path));
        Assert.Equal(path, e.File);
        Assert.Equal(field, e.Field);
        Assert.Contains(reason, e.Reason);
    }

    private static string Decimals(string printed) =>
        printed.Contains('.') ? "F" + (printed.Length - printed.IndexOf('.') - 1) : "F0";
}
