using System.Text.Json.Nodes;
using Micro.Core.Ceilings;
using Micro.Core.Results;

namespace Micro.Core.Tests;

/// <summary>
/// Issue 21, class 2, for Micro's own files: a results.jsonl line or a ceilings.json whose figures contradict each other
/// or any device (a minimum time above the maximum, negative bytes, a 1e308 GB/s ceiling) is one line naming the file
/// and the field (RecordValidation, CeilingValidation), never read as a measurement.
/// </summary>
public class SelfContradictionTests
{
    private const string H100 = "NVIDIA H100 80GB HBM3";

    [Theory]
    [InlineData("time.min", "5", "time.min")]
    [InlineData("time.median", "1e3", "time.median")]
    [InlineData("time.p99", "-1", "time.p99")]
    [InlineData("time.count", "-3", "time.count")]
    [InlineData("bytes", "-5", "bytes")]
    [InlineData("flops", "-1e9", "flops")]
    [InlineData("warmup", "-1", "warmup")]
    [InlineData("bandwidth.best", "-100", "bandwidth.best")]
    [InlineData("verification.wrong", "-1", "verification")]
    public void AResultLineThatContradictsItselfIsOneLine(string at, string value, string field)
    {
        var path = Write(Records.Bandwidth(H100, "copy", 2000), at, value);
        var e = Assert.Throws<InputException>(() => ResultsReader.Read(path));
        Assert.Equal($"line 1: {field}", e.Field);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void UnknownFiguresAreNotContradictions()
    {
        var path = Write(Records.Bandwidth(H100, "copy", 2000), "time.median", "null");
        Assert.True(double.IsNaN(Assert.Single(ResultsReader.Read(path)).Time.Median));
    }

    [Theory]
    [InlineData("1e308", "GB/s")]
    [InlineData("0", "GB/s")]
    [InlineData("2e6", "TFLOP/s")]
    [InlineData("1e20", "us")]
    public void ACeilingNoDeviceReachesIsOneLine(string value, string unit)
    {
        var path = Records.CeilingsFileWith(c =>
        {
            c["value"] = JsonNode.Parse(value);
            c["unit"] = unit;
        });
        var e = Assert.Throws<InputException>(() => CeilingsFile.Read(path));
        Assert.Equal("devices[0].ceilings[0].value", e.Field);
        Assert.Contains(unit, e.Reason);
    }

    [Fact]
    public void TheWriterNeverWritesALineTheReaderWouldRefuse()
    {
        var dir = Directory.CreateTempSubdirectory("micro-contra-").FullName;
        var good = Records.Bandwidth(H100, "copy", 2000);
        using (var w = new ResultsWriter(dir))
        {
            w.Write(good);
            var e = Assert.Throws<InvalidOperationException>(() => w.Write(good with { Time = good.Time with { Min = good.Time.Max * 2 } }));
            Assert.Contains("time.min", e.Message);
        }
        Assert.Single(ResultsReader.Read(Path.Combine(dir, ResultsWriter.FileName)));
    }

    private static string Write(MeasurementRecord r, string at, string value)
    {
        var dir = Directory.CreateTempSubdirectory("micro-contra-").FullName;
        using (var w = new ResultsWriter(dir)) w.Write(r);
        var path = Path.Combine(dir, ResultsWriter.FileName);
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        var parts = at.Split('.');
        var parent = parts[..^1].Aggregate(node, (n, p) => n[p]!);
        parent[parts[^1]] = JsonNode.Parse(value);
        File.WriteAllText(path, node.ToJsonString() + "\n");
        return path;
    }
}
