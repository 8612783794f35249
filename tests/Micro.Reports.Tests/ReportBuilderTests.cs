using Micro.Reports.Tests.Fixtures;

namespace Micro.Reports.Tests;

public sealed class ReportBuilderTests
{
    private static readonly byte[] PngMagic = [0x89, (byte)'P', (byte)'N', (byte)'G'];

    /// <summary>Set MICRO_REPORT_SAMPLE=/some/dir to keep the rendered sample reports for a look.</summary>
    private static void Keep(ResultsDirectory dir, string name)
    {
        var keep = Environment.GetEnvironmentVariable("MICRO_REPORT_SAMPLE");
        if (string.IsNullOrEmpty(keep)) return;
        var target = Path.Combine(keep, name);
        if (Directory.Exists(target)) Directory.Delete(target, true);
        Directory.CreateDirectory(Path.Combine(target, "plots"));
        foreach (var f in Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories))
            File.Copy(f, Path.Combine(target, Path.GetRelativePath(dir.Path, f)));
    }

    [Fact]
    public void SingleNodeReportHasEveryPlotAsNonEmptyPngAndSvgReferencedByTheHtml()
    {
        using var dir = ResultsDirectory.SingleNode();
        var output = ReportBuilder.Build(dir.Path);

        Assert.True(new FileInfo(output.Html).Length > 1000);
        Assert.True(new FileInfo(output.Markdown).Length > 1000);
        var html = File.ReadAllText(output.Html);
        var md = File.ReadAllText(output.Markdown);
        var ids = output.Figures.Select(f => f.Chart.Id).ToList();
        // Two devices with memory sweeps, collectives, a roofline per device, launch.
        Assert.Contains(ids, id => id.StartsWith("bandwidth-", StringComparison.Ordinal) && id.Contains("h100", StringComparison.Ordinal));
        Assert.Contains(ids, id => id.StartsWith("bandwidth-", StringComparison.Ordinal) && id.EndsWith("host", StringComparison.Ordinal));
        Assert.Contains("busbw", ids);
        Assert.Contains(ids, id => id.StartsWith("roofline-", StringComparison.Ordinal) && id.Contains("h100", StringComparison.Ordinal));
        Assert.Contains("launch", ids);
        Assert.DoesNotContain(ids, id => id.StartsWith("fleet-", StringComparison.Ordinal));
        foreach (var f in output.Figures)
        {
            var png = Path.Combine(output.PlotsDirectory, f.PngFile);
            var svg = Path.Combine(output.PlotsDirectory, f.SvgFile);
            Assert.True(new FileInfo(png).Length > 10_000, png);
            Assert.Equal(PngMagic, File.ReadAllBytes(png)[..4]);
            Assert.True(new FileInfo(svg).Length > 1000, svg);
            Assert.Contains("<svg", File.ReadAllText(svg), StringComparison.Ordinal);
            Assert.Contains($"src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(png), Base64FormattingOptions.InsertLineBreaks).ReplaceLineEndings("\n")}\"", html, StringComparison.Ordinal);
            Assert.Contains($"href=\"plots/{f.SvgFile}\"", html, StringComparison.Ordinal);
            Assert.Contains($"](plots/{f.PngFile})", md, StringComparison.Ordinal);
        }
        Assert.Equal(output.Figures.Count, Directory.GetFiles(output.PlotsDirectory, "*.png").Length);
        // One file to mail: every figure inline, nothing loaded from disk, and the CSP lets only inline images in.
        Assert.DoesNotContain("src=\"plots/", html, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data:;", html, StringComparison.Ordinal);
        Keep(dir, "single");
    }

    [Fact]
    public void FleetReportMarksTheSlowDeviceWithHostAndDevice()
    {
        using var dir = ResultsDirectory.Fleet(hosts: 2, gpusPerHost: 4, slowRank: 5, slowFactor: 1.25);
        var output = ReportBuilder.Build(dir.Path);

        var fleetFigures = output.Figures.Where(f => f.Chart.Id.StartsWith("fleet-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(fleetFigures);
        var bars = fleetFigures.Select(f => f.Chart).OfType<Micro.Reports.Data.BarChart>().First(c => c.Id.Contains("memory-bandwidth", StringComparison.Ordinal));
        Assert.Equal(8, bars.Bars.Count);
        Assert.Equal([5], bars.Bars.Select((b, i) => (b, i)).Where(x => x.b.Flagged).Select(x => x.i));
        var html = File.ReadAllText(output.Html);
        Assert.Contains("<td>node01</td><td>NVIDIA H100 80GB HBM3</td><td>GPU-0005</td><td>below-median</td>", html, StringComparison.Ordinal);
        Assert.Contains("cross-NUMA placement", html, StringComparison.Ordinal);
        Keep(dir, "fleet");
    }

    [Fact]
    public void DirectoryWithOnlyRecordsStillGetsCeilingsAndPlots()
    {
        using var dir = new ResultsDirectory();
        dir.WriteRecords(RecordFactory.Memory("host", "host", 20, 16L << 20));
        var output = ReportBuilder.Build(dir.Path);
        Assert.Contains(output.Figures, f => f.Chart.Id.StartsWith("bandwidth-", StringComparison.Ordinal));
        Assert.All(output.Figures, f => Assert.True(File.Exists(Path.Combine(output.PlotsDirectory, f.PngFile))));
        Assert.Contains("<td>host_memory_bandwidth</td>", File.ReadAllText(output.Html), StringComparison.Ordinal);
    }
}
