using Micro.Cli.Output;
using Micro.Core.Results;
using Micro.Core.Results.Points;
using Micro.Reports.Tests.Fixtures;
using Spectre.Console;

namespace Micro.Reports.Tests.Tables;

/// <summary>Each suite's console table has its own columns, units and caption (synthetic records of each suite).</summary>
public sealed class SuiteTableTests
{
    private static MeasurementRecord R(string suite, string @case, long bytes = 0, double flops = 0, IPointParameters? point = null) =>
        RecordFactory.Make(suite, @case, "native", "gpu0", RecordFactory.Times(1e-3), bytes, flops, point: point);

    private static (List<string> Headers, string Caption, string Printed) Shape(params MeasurementRecord[] records)
    {
        var (columns, caption) = ResultsTable.Shape(records);
        var w = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(w), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 250;
        ResultsTable.Write(console, records);
        return (columns.Select(c => c.Header).ToList(), caption, w.ToString());
    }

    private static string Cell(MeasurementRecord r, string header) =>
        Micro.Reports.Tables.ResultColumns.All.Single(c => c.Header == header).Value(r);

    [Fact]
    public void MemoryShowsBandwidthBestAndTheBabelStreamCaption()
    {
        var (h, caption, printed) = Shape(R("memory", "triad", 3 << 20, 0, new StreamParameters { Kernel = "Triad", Elements = 1 << 18, WorkingSetBytes = 3 << 20 }));
        // Suite, backend and device are said once in the table's title, not per row; flags close every row.
        Assert.Equal(["case", "dtype", "working set", "GB/s median", "GB/s best*", "CV %", "n", "verified", "flags"], h);
        Assert.Contains("memory native on gpu0", printed, StringComparison.Ordinal);
        Assert.Contains("the figure BabelStream prints", caption, StringComparison.Ordinal);
        Assert.Contains("GB/s = 1e9 B/s", caption, StringComparison.Ordinal);
        Assert.Contains("3 MiB", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void AttentionNeverMentionsBabelStreamAndPrefillRowsShowTflops()
    {
        var decode = R("attention", "decode", bytes: 1L << 30, flops: 1e9, new AttentionParameters { Kind = AttentionKind.Decode, Model = "m", Batch = 1, Context = 4096, HeadsQ = 32, QoBytes = 2 });
        var prefill = R("attention", "prefill", bytes: 1L << 26, flops: 5e11, new AttentionParameters { Kind = AttentionKind.Prefill, Model = "m", Batch = 1, SeqLen = 4096, HeadsQ = 32, QoBytes = 2 });
        var (h, caption, printed) = Shape(decode, prefill);
        Assert.DoesNotContain("BabelStream", caption + printed, StringComparison.Ordinal);
        Assert.DoesNotContain("working set", h);
        Assert.DoesNotContain("GB/s best*", h);
        Assert.Contains("GB/s median", h);
        Assert.Contains("TFLOP/s median", h);
        Assert.Equal("", Cell(decode, "TFLOP/s median"));
        Assert.Equal("500.0", Cell(prefill, "TFLOP/s median"));
        Assert.Equal("", Cell(prefill, "GB/s median"));
        Assert.Contains("TFLOP/s = 1e12 FLOP/s", caption, StringComparison.Ordinal);
    }

    [Fact]
    public void GemmShowsOnlyTflops()
    {
        var (h, caption, _) = Shape(R("gemm", "bf16_square_8192x8192x8192", bytes: 3L << 27, flops: 1.1e12));
        Assert.Contains("TFLOP/s median", h);
        Assert.Contains("TFLOP/s best", h);
        Assert.DoesNotContain(h, x => x.StartsWith("GB/s", StringComparison.Ordinal));
        Assert.DoesNotContain("BabelStream", caption, StringComparison.Ordinal);
    }

    [Fact]
    public void LinkShowsBandwidthAndSize()
    {
        var (h, caption, printed) = Shape(R("link", "h2d_pinned_ce_1073741824", bytes: 1L << 30, 0, new CopyParameters { Direction = CopyDirection.HostToDevice, Memory = "pinned", Engine = "copy-engine", SizeBytes = 1L << 30 }));
        Assert.Contains("GB/s median", h);
        Assert.Contains("size", h);
        Assert.DoesNotContain("GB/s best*", h);
        Assert.DoesNotContain("TFLOP/s median", h);
        Assert.Contains("1 GiB", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("BabelStream", caption, StringComparison.Ordinal);
    }

    [Fact]
    public void LaunchAndCollectivesShowMicroseconds()
    {
        var launch = R("launch", "stream_launch");
        var (h, caption, _) = Shape(launch);
        Assert.Contains("us median", h);
        Assert.DoesNotContain(h, x => x.StartsWith("GB/s", StringComparison.Ordinal) || x.StartsWith("TFLOP/s", StringComparison.Ordinal));
        Assert.Equal("1000.0", Cell(launch, "us median"));
        Assert.Contains("microseconds", caption, StringComparison.Ordinal);

        var (hc, _, _) = Shape(R("collectives", "all_reduce", bytes: 1 << 20, 0, new CollectiveParameters { Op = "all_reduce", SizeBytes = 1 << 20, Nranks = 8 }));
        Assert.Contains("us median", hc);
        Assert.Contains("GB/s median", hc);
        Assert.Contains("size", hc);
    }

    [Fact]
    public void TheSuiteIsSaidInEachTablesTitleNeverPerRow()
    {
        Assert.DoesNotContain("suite", Shape(R("gemm", "x", flops: 1e9)).Headers);
        var (headers, _, printed) = Shape(R("gemm", "x", flops: 1e9), R("launch", "y"));
        Assert.DoesNotContain("suite", headers);
        Assert.Contains("gemm native on gpu0", printed, StringComparison.Ordinal);
        Assert.Contains("launch native on gpu0", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void RunReportMeasuredPointsUseTheSameSuiteColumns()
    {
        using var dir = new ResultsDirectory();
        dir.WriteRecords(RecordFactory.Gemm("gpu0", 700).Concat(RecordFactory.Launch("gpu0")));
        var md = File.ReadAllText(ReportBuilder.Build(dir.Path).Markdown);
        var points = md[md.IndexOf("## Measured points", StringComparison.Ordinal)..];
        var header = points.Split('\n').First(l => l.StartsWith("| ", StringComparison.Ordinal));
        Assert.Contains("TFLOP/s median", header, StringComparison.Ordinal);
        Assert.Contains("us median", header, StringComparison.Ordinal);
        Assert.Contains("parameters", header, StringComparison.Ordinal);
        Assert.DoesNotContain("GB/s", header, StringComparison.Ordinal);
        Assert.DoesNotContain("working set", header, StringComparison.Ordinal);
        Assert.DoesNotContain("BabelStream", points, StringComparison.Ordinal);
    }
}
