using Micro.Core.Results;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Metrics;
using Micro.Tests.Shared;

namespace Micro.EndToEnd.Tests;

public class IngestTests
{
    private const string Sweep = "vllm/gptoss120b_amd_1p1d_sweep";

    [Fact]
    public void EveryFileInTheSharedVllmDataIngests()
    {
        var root = TestPaths.SharedFile("vllm");
        var files = Directory.EnumerateFiles(root, "*.json*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        foreach (var f in files)
        {
            var points = VllmResultReader.ReadFile(f);
            Assert.All(points, p => Assert.True(p.Completed > 0 && p.OutputThroughput > 0, f));
        }
    }

    [Fact]
    public void LegacyGptOssSweepGivesEightPointsWithItsStatedFigures()
    {
        var points = ResultSetLoader.Load([TestPaths.SharedFile(Sweep)]);
        Assert.Equal(8, points.Count);
        Assert.All(points, p => Assert.True(p.Legacy));
        Assert.All(points, p => Assert.Null(p.Failed));
        Assert.Equal([4, 8, 16, 32, 64, 128, 256, 512], points.Select(p => p.MaxConcurrency!.Value).Order());
        var c256 = points.Single(p => p.MaxConcurrency == 256);
        Assert.Equal(17.904399000923036, c256.Stated("tpot", "p99"));
        Assert.Equal(1665.9692472564057, c256.Stated("ttft", "p99.9"));
        Assert.Equal(13975.943487151262, c256.OutputThroughput);
        Assert.Null(c256.RequestRate);
        Assert.Null(c256.Requests);
    }

    [Fact]
    public void DetailedArraysAreRecomputedWithVllmDefinitions()
    {
        using var dir = new TempDir();
        var p = Assert.Single(VllmResultReader.ReadFile(dir.Write("d.json", TestFiles.Detailed)));
        Assert.False(p.Legacy);
        Assert.Equal(1, p.Failed);
        var m = RecomputedMetrics.From(p.Requests!);
        Assert.Equal(3, m.Successful);
        Assert.Equal(1, m.Failed);
        Assert.Equal(200, m.Get("ttft", "mean")!.Value, 9);
        Assert.Equal(298, m.Get("ttft", "p99")!.Value, 9);
        Assert.Equal(Math.Sqrt(20000.0 / 3), m.Get("ttft", "std")!.Value, 9);
        Assert.Equal(35, m.Get("tpot", "mean")!.Value, 9);
        Assert.Equal(49.7, m.Get("tpot", "p99")!.Value, 9);
        Assert.Equal(30, m.Get("itl", "median")!.Value, 9);
        Assert.Equal(32, m.Get("itl", "mean")!.Value, 9);
        Assert.Equal(50, m.Get("itl", "p99.9")!.Value, 9);
        Assert.Equal(300, m.Get("e2el", "median")!.Value, 9);

        var d = Discrepancy.Find(p, m);
        var only = Assert.Single(d);
        Assert.Equal("mean_ttft_ms", only.Field);
        Assert.Equal(250, only.Stated);
        Assert.Equal(200, only.Recomputed, 9);
    }

    [Fact]
    public void GoodputCountsRequestsMeetingEveryObjective()
    {
        using var dir = new TempDir();
        var p = VllmResultReader.ReadFile(dir.Write("d.json", TestFiles.Detailed))[0];
        var m = RecomputedMetrics.From(p.Requests!);
        // Per-request TPOT 20, 50, 0 (one output token counts as 0, as in vLLM): two meet 30 ms.
        Assert.Equal(2.0, Goodput.Compute(m, [SloSpec.Parse("p99:tpot<=30ms")], p.Duration).Rps);
        Assert.Equal(1.0, Goodput.Compute(m, [SloSpec.Parse("p99:tpot<=30ms"), SloSpec.Parse("p95:e2el<=0.2s")], p.Duration).Rps);
        Assert.Null(Goodput.Compute(m, [SloSpec.Parse("p99:itl<=30ms")], p.Duration).Rps);
    }

    [Fact]
    public void LengthBucketsSplitHeterogeneousTraffic()
    {
        using var dir = new TempDir();
        var p = VllmResultReader.ReadFile(dir.Write("d.json", TestFiles.Detailed))[0];
        var b = LengthBuckets.Compute(p.Requests!);
        Assert.Equal(3, b.Count);
        var first = b[0];
        Assert.Equal((8, 15, 4, 7, 1), (first.InputFrom, first.InputTo, first.OutputFrom, first.OutputTo, first.Count));
        Assert.Equal(20, first.MeanTpotMs!.Value, 9);
    }

    [Fact]
    public void AppendResultFileGivesOnePointPerLine()
    {
        using var dir = new TempDir();
        var text = TestFiles.Legacy(4, 400, 8).ReplaceLineEndings(" ") + "\n" + TestFiles.Legacy(8, 800, 9).ReplaceLineEndings(" ") + "\n";
        var points = VllmResultReader.ReadFile(dir.Write("append.jsonl", text));
        Assert.Equal(2, points.Count);
        Assert.EndsWith("#2", points[1].Source);
        Assert.Equal(8, points[1].MaxConcurrency);
    }

    [Fact]
    public void MissingMaxConcurrencyAndFractionalPercentilesAreNormal()
    {
        using var dir = new TempDir();
        var text = TestFiles.Legacy(4, 400, 8).Replace("\"max_concurrency\": 4,", "").Replace("\"p99_tpot_ms\"", "\"p99.99_tpot_ms\"");
        var p = VllmResultReader.ReadFile(dir.Write("x.json", text))[0];
        Assert.Null(p.MaxConcurrency);
        Assert.Equal(8, p.Stated("tpot", "p99.99"));
    }

    [Theory]
    [InlineData("\"8\"", "8")]
    [InlineData("8", "8")]
    [InlineData("8.0", "8")]
    [InlineData("0.9", "0.9")]
    [InlineData("null", null)]
    [InlineData("true", "true")]
    public void AMetadataValueWrittenAsANumberOrBooleanReadsAsItsText(string json, string? value)
    {
        using var dir = new TempDir();
        var text = TestFiles.Legacy(4, 400, 8).Replace("\"max_concurrency\": 4,", $"\"max_concurrency\": 4, \"tensor_parallel_size\": {json}, \"gpu_memory_utilization\": {json},");
        var p = VllmResultReader.ReadFile(dir.Write("m.json", text))[0];
        Assert.Equal(value, p.Metadata.TensorParallelSize);
        Assert.Equal(value, p.Metadata.GpuMemoryUtilization);
    }

    [Theory]
    [InlineData("[8]", "expected a string")]
    [InlineData("1e400", "past the range of a double")]
    public void AMetadataValueThatIsNoScalarIsOneLine(string json, string reason)
    {
        using var dir = new TempDir();
        var text = TestFiles.Legacy(4, 400, 8).Replace("\"max_concurrency\": 4,", $"\"max_concurrency\": 4, \"tensor_parallel_size\": {json},");
        var path = dir.Write("m.json", text);
        var e = Assert.Throws<InputException>(() => VllmResultReader.ReadFile(path));
        Assert.Equal("tensor_parallel_size", e.Field);
        Assert.Contains(reason, e.Reason);
    }

    [Theory]
    [InlineData("truncated", "duration", "truncated JSON")]
    [InlineData("string", "output_throughput", "expected a number, found the string \"fast\"")]
    [InlineData("nan", "p99_tpot_ms", "NaN is not a finite number")]
    [InlineData("nanstring", "p99_tpot_ms", "NaN is not a finite number")]
    [InlineData("itl", "itls[1][0]", "expected a number")]
    [InlineData("missing", "completed", "required field is missing")]
    public void BadFilesFailWithOneLineNamingFileFieldAndReason(string kind, string field, string reason)
    {
        using var dir = new TempDir();
        var good = TestFiles.Legacy(4, 400, 8);
        var text = kind switch
        {
            "truncated" => good[..(good.IndexOf("\"duration\"", StringComparison.Ordinal) + 16)],
            "string" => good.Replace("\"output_throughput\": 400", "\"output_throughput\": \"fast\""),
            "nan" => good.Replace("\"p99_tpot_ms\": 8", "\"p99_tpot_ms\": NaN"),
            "nanstring" => good.Replace("\"p99_tpot_ms\": 8", "\"p99_tpot_ms\": \"NaN\""),
            "itl" => TestFiles.Detailed.Replace("[0.05, 0.05]", "[\"x\", 0.05]"),
            "missing" => good.Replace("\"completed\": 40,", ""),
            _ => throw new ArgumentException(kind),
        };
        var path = dir.Write(kind + ".json", text);
        var e = Assert.Throws<InputException>(() => VllmResultReader.ReadFile(path));
        Assert.Equal(path, e.File);
        Assert.Equal(field, e.Field);
        Assert.Contains(reason, e.Reason);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void EmptySweepDirectoryIsAnError()
    {
        using var dir = new TempDir();
        dir.Write("summary.json", "{}");
        var e = Assert.Throws<InputException>(() => ResultSetLoader.Load([dir.Path]));
        Assert.Contains("empty sweep", e.Reason);
    }

    [Fact]
    public void UnknownSloMetricIsAnError()
    {
        var e = Assert.Throws<InputException>(() => SloSpec.Parse("p99:tbt<=20ms"));
        Assert.Contains("unknown SLO metric 'tbt'", e.Message);
        Assert.Equal(new SloSpec("p99.9", "ttft", 1500), SloSpec.Parse("p99.9:ttft<=1.5s"));
    }
}
