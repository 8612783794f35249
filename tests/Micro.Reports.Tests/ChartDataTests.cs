using Micro.Core.Results.Points;
using Micro.Tests.Shared;
using Micro.Reports.Data;
using Micro.Reports.Plots;
using Micro.Reports.Tests.Fixtures;

namespace Micro.Reports.Tests;

public sealed class ChartDataTests
{
    private static ReportInput Input(IEnumerable<Micro.Core.Results.MeasurementRecord> records) => new("/tmp/x", records.ToList(), null);

    [Fact]
    public void BusBandwidthIsTheRecordedBandwidthNeverScaledAgain()
    {
        // The suite's records carry busbw as their bandwidth (algbw x CollectiveTable's factor): plotting it must not apply the factor twice.
        var r = RecordFactory.Make("collectives", "all_reduce", "mpi", "host", RecordFactory.Times(1e-3), bytes: 1_000_000,
            point: new CollectiveParameters { Op = "all_reduce", SizeBytes = 65536, Nranks = 8 });
        var chart = Assert.IsType<LineChart>(Assert.Single(CollectiveCharts.Build(Input([r]))));
        var point = Assert.Single(Assert.Single(chart.Series).Points);
        Assert.Equal(65536, point.X);
        Assert.Equal(RecordFields.Bandwidth(r)!.Value, point.Y, 9);
        Assert.Equal("all_reduce (mpi, 8 ranks)", chart.Series[0].Label);
    }

    [Fact]
    public async Task ReportOnTheShippedNcclTestsLogPlotsTheBusbwTheLogPrints()
    {
        var log = TestPaths.SharedFile("collectives/nccl_2x8xh100_a3mega_tcpxo_allreduce.txt");
        var dir = Directory.CreateTempSubdirectory("micro-busbw-").FullName;
        var (o, e) = (new StringWriter(), new StringWriter());
        Assert.True(await Micro.Cli.CliApp.RunAsync(["collectives", "import", log, "--out", dir], o, e) == 0, e.ToString());
        var chart = Assert.IsType<LineChart>(Assert.Single(CollectiveCharts.Build(ReportInput.Load(dir))));
        // nccl-tests' own line at 8 GiB: out-of-place busbw 338.82, in-place 337.35 (16 ranks).
        var outOfPlace = chart.Series.Single(s => s.Label.EndsWith("out-of-place", StringComparison.Ordinal));
        var inPlace = chart.Series.Single(s => s.Label.EndsWith(" in-place", StringComparison.Ordinal));
        Assert.Equal(338.82, outOfPlace.Points.Single(p => p.X == 8589934592).Y, 6);
        Assert.Equal(337.35, inPlace.Points.Single(p => p.X == 8589934592).Y, 6);
        Assert.Equal(338.82, chart.Series.SelectMany(s => s.Points).Max(p => p.Y), 6);
    }

    [Fact]
    public void BandwidthChartHasOneSeriesPerKernelAndBackendWithTheCacheLine()
    {
        var records = RecordFactory.Memory("gpu", "native", 3000, 50L << 20, maxLog2: 30)
            .Select(r => r with { Stream = r.Stream! with { LlcBytes = 50L << 20 } });
        var chart = Assert.IsType<LineChart>(Assert.Single(BandwidthCharts.Build(Input(records))));
        Assert.Equal(5, chart.Series.Count);
        Assert.Equal(AxisScale.Log2, chart.X.Scale);
        Assert.Contains("GB/s", chart.Y.Label, StringComparison.Ordinal);
        var line = Assert.Single(chart.Lines);
        Assert.True(line.Vertical);
        Assert.Equal(50L << 20, line.Value);
        var triad = chart.Series.Single(s => s.Label.StartsWith("triad", StringComparison.Ordinal));
        Assert.Equal(3000, triad.Points[^1].Y, 6);
        Assert.Equal(1L << 30, triad.Points[^1].X);
    }

    [Fact]
    public void RooflinePlacesPointsAtFlopsPerByteUnderMeasuredCeilings()
    {
        var records = RecordFactory.Memory("gpu", "native", 3000, 50L << 20, maxLog2: 30)
            .Concat(RecordFactory.Gemm("gpu", 750)).Concat(RecordFactory.Attention("gpu", 3000)).ToList();
        var chart = Assert.IsType<LineChart>(Assert.Single(RooflineCharts.Build(Input(records))));
        var roof = chart.Series.First(s => s.Line);
        Assert.Equal(750, roof.Points[^1].Y, 6);
        Assert.Equal(750 * 1000 / 3000.0, roof.Points[1].X, 6); // ridge = TFLOP/s * 1000 / GB/s
        var stream = chart.Series.Single(s => s.Label.StartsWith("stream", StringComparison.Ordinal));
        // triad: 2 flops per element over 12 bytes per element (3 fp32 arrays).
        Assert.Contains(stream.Points, p => Math.Abs(p.X - 2.0 / 12) < 1e-9 && Math.Abs(p.Y - 2.0 / 12 * 3000 / 1000) < 1e-6);
        Assert.DoesNotContain(stream.Points, p => p.X == 0);
        var attention = chart.Series.Single(s => s.Label.StartsWith("attention", StringComparison.Ordinal));
        Assert.All(attention.Points, p => Assert.True(p.Y <= Math.Min(750, p.X * 3) + 1e-9, "attention point above the roof"));
    }

    [Fact]
    public void LogTicksLabelPowersWithUnits()
    {
        var (pos, labels) = LogTicks.Ticks(10, 30, AxisScale.Log2, AxisFormat.Bytes);
        Assert.True(pos.Length <= LogTicks.MaxTicks);
        Assert.Contains("1 MiB", labels);
        Assert.Contains("1 GiB", labels);
        var (_, dec) = LogTicks.Ticks(-1, 3, AxisScale.Log10, AxisFormat.Number);
        Assert.Equal(["0.1", "1", "10", "100", "1000"], dec);
        // Up to three decades: 2x and 5x ticks between the powers (inside the range).
        var (_, fine) = LogTicks.Ticks(0, 1.5, AxisScale.Log10, AxisFormat.Number);
        Assert.Equal(["1", "2", "5", "10", "20", "100"], fine);
    }

    [Fact]
    public void LaunchBarsAreMicrosecondsWithRange()
    {
        var chart = Assert.IsType<BarChart>(Assert.Single(LaunchCharts.Build(Input(RecordFactory.Launch("gpu")))));
        Assert.Equal(3, chart.Bars.Count);
        Assert.All(chart.Bars, b => Assert.True(b.Low <= b.Value && b.Value <= b.High));
        Assert.Contains(chart.Bars, b => Math.Abs(b.Value - 2.4) < 1e-9);
    }
}
