using Micro.Cli;
using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.EndToEnd.Analysis;
using Micro.Tests.Shared;

namespace Micro.EndToEnd.Tests;

public class CliTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public async Task AnalyzeGptOssSweepWritesEveryReportFile()
    {
        var s = TestPaths.SharedFile("vllm/gptoss120b_amd_1p1d_sweep");
        var m = TestPaths.SharedFile("models/config_gpt_oss_120b.json");
        using var dir = new TempDir();
        var (code, o, e) = await Run("analyze", s, "--gpus", "16", "--tp", "8", "--slo", "p99:tpot<=20ms", "--model", m, "--gpu", "mi355x",
            "--requests-per-month", "5e7", "--out", dir.Path);
        Assert.True(code == 0, e);
        Assert.Contains("512 (T)", o);
        Assert.Contains("256 (OP)", o);
        foreach (var f in new[] { "analysis.json", "report.md", "report.html", "points.csv", "pareto.png", "latency.png", "ttft.png", "sol.png", "cost.png" })
            Assert.True(new FileInfo(Path.Combine(dir.Path, f)).Length > 0, f);
        var png = File.ReadAllBytes(Path.Combine(dir.Path, "pareto.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var html = File.ReadAllText(Path.Combine(dir.Path, "report.html"));
        // One report stack: figures are PNG + SVG files beside the report; the page embeds each PNG and links its SVG.
        Assert.Equal(5, html.Split("<figure>").Length - 1);
        Assert.Equal(5, html.Split("<img src=\"data:image/png;base64,").Length - 1);
        foreach (var f in new[] { "pareto.svg", "latency.svg", "ttft.svg", "sol.svg", "cost.svg" }) Assert.Contains($"href=\"{f}\"", html);
        Assert.Contains("datasheet, not measured", html);
        Assert.Contains("min(ctx, window)", html);
        Assert.Equal(9, File.ReadAllLines(Path.Combine(dir.Path, "points.csv")).Length);
        var back = AnalysisJson.Read(Path.Combine(dir.Path, "analysis.json"));
        Assert.Equal(256, back.OperatingPoint!.Concurrency);
        Assert.Equal(8, back.Points.Count);
    }

    [Fact]
    public async Task StringsFromInputFilesAreEscapedInHtmlAndMarkdown()
    {
        using var dir = new TempDir();
        var f = dir.Write("d.json", TestFiles.Detailed);
        var (code, _, e) = await Run("analyze", f, "--gpu-hour-price", "2", "--slo", "p99:e2el<=1s", "--out", Path.Combine(dir.Path, "out"));
        Assert.True(code == 0, e);
        var html = File.ReadAllText(Path.Combine(dir.Path, "out", "report.html"));
        Assert.DoesNotContain("<b>m</b>", html);
        Assert.Contains("&lt;b&gt;m&lt;/b&gt;", html);
        var md = File.ReadAllText(Path.Combine(dir.Path, "out", "report.md"));
        Assert.DoesNotContain("<b>", md);
        Assert.Contains("&lt;b&gt;m&lt;/b&gt;", md);
        // The detailed file's buckets and its wrong mean_ttft_ms reach the report.
        Assert.Contains("mean\\_ttft\\_ms", md);
        Assert.Contains("length bucket", md);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("string")]
    [InlineData("nan")]
    [InlineData("empty-sweep")]
    [InlineData("unknown-slo")]
    [InlineData("no-layers")]
    public async Task BadInputExitsTwoWithOneLineNamingFileFieldAndReason(string kind)
    {
        using var dir = new TempDir();
        var good = TestFiles.Legacy(4, 400, 8);
        string[] args = kind switch
        {
            "truncated" => ["analyze", dir.Write("t.json", good[..200]), "--gpu-hour-price", "1"],
            "string" => ["analyze", dir.Write("s.json", good.Replace("\"completed\": 40", "\"completed\": \"forty\"")), "--gpu-hour-price", "1"],
            "nan" => ["analyze", dir.Write("n.json", good.Replace("\"p99_tpot_ms\": 8", "\"p99_tpot_ms\": NaN")), "--gpu-hour-price", "1"],
            "empty-sweep" => ["analyze", Directory.CreateDirectory(Path.Combine(dir.Path, "sweep")).FullName, "--gpu-hour-price", "1"],
            "unknown-slo" => ["analyze", dir.Write("g.json", good), "--gpu-hour-price", "1", "--slo", "p99:latency_ms<=5ms"],
            "no-layers" => ["analyze", dir.Write("g.json", good), "--gpu", "h100-sxm", "--model", dir.Write("c.json", "{\"hidden_size\": 64, \"num_attention_heads\": 4}")],
            _ => throw new ArgumentException(kind),
        };
        var (code, _, err) = await Run(args);
        Assert.Equal(ExitCodes.Usage, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var (file, field, reason) = kind switch
        {
            "truncated" => ("t.json", "", "truncated JSON"),
            "string" => ("s.json", "completed", "expected a whole number, found the string \"forty\""),
            "nan" => ("n.json", "p99_tpot_ms", "NaN is not a finite number"),
            "empty-sweep" => ("sweep", "", "empty sweep"),
            "unknown-slo" => ("--slo", "p99:latency_ms<=5ms", "unknown SLO metric 'latency_ms'"),
            _ => ("c.json", "num_hidden_layers", "required field is missing"),
        };
        Assert.Contains(file, line);
        Assert.Contains(field, line);
        Assert.Contains(reason, line);
    }

    [Fact]
    public async Task ExampleReproducesEveryNumberOfTheWorkedExamples()
    {
        var (code, o, e) = await Run("analyze", "--example");
        Assert.True(code == 0, e);
        foreach (var s in new[]
                 {
                     "$0.000474) per 1k tokens", "$0.000569) per request", "$0.000230) per 1k tokens", "$0.000276) per request", "2.06x",
                     "unit monthly $2,847", "unit monthly $1,381", "provisioned $2,993", "provisioned $2,117", "2,283 tok/s",
                     "$0.0047 / $0.0023 per 1k tokens", "$28,500 / $14,000 a month", "ten times",
                     "$0.0570", "$0.0527", "$0.0373", "$0.0328", "$0.137976", "$0.019752", "$0.164137", "$0.012768",
                     "60.31", "1.61", "120.00", "10.91", "ASSUMED",
                 })
            Assert.Contains(s, o);
        var a = Examples.CostAtSloExample.Compute(Examples.CostAtSloExample.A);
        var b = Examples.CostAtSloExample.Compute(Examples.CostAtSloExample.B);
        Assert.Equal(0.000474537, a.CostPer1kTokens, 9);
        Assert.Equal(2.06, a.CostPerRequest / b.CostPerRequest, 2);
        Assert.Equal(10, a.ArticleFactorMonthly, 0);
        Assert.Equal(1, a.Monthly.Replicas);
        Assert.Equal([false, true, false, false], Examples.UsefulWorkExample.Runs.Select(r => r.MeetsSlo));
        Assert.Equal(0.0570, Examples.UsefulWorkExample.Runs[0].ImpliedSpend, 4);
    }

    [Fact]
    public async Task CompareShowsTwoCeilingsProfilesSideBySide()
    {
        using var dir = new TempDir();
        string Profile(string name, string device, double bw, double gemm)
        {
            var p = new CeilingsProfile
            {
                Context = RunContext.Capture("test"),
                Devices = [new DeviceCeilings { Device = device, Ceilings =
                [
                    new Ceiling { Name = CeilingNames.MemoryBandwidth, Value = bw, Unit = "GB/s", Suite = "memory", Case = "copy", Backend = "native" },
                    new Ceiling { Name = CeilingNames.GemmBf16, Value = gemm, Unit = "TFLOP/s", Suite = "gemm", Case = "bf16", Backend = "cublas" },
                ] }],
            };
            var path = Path.Combine(dir.Path, name);
            CeilingsFile.Write(path, p);
            return path;
        }
        var a = Profile("a.json", "NVIDIA H100 80GB HBM3", 3000, 750);
        var b = Profile("b.json", "NVIDIA H200", 4300, 760);
        var (code, o, e) = await Run("compare", a, b);
        Assert.True(code == 0, e);
        Assert.Contains("memory_bandwidth", o);
        Assert.Contains("1.433x", o);

        // The same profiles drive the speed of light as measured hardware.
        var hw = SpeedOfLight.HardwareProfile.FromCeilings(b);
        Assert.True(hw.Measured);
        Assert.Equal(4300, hw.BandwidthGBps);
        Assert.Equal("measured", hw.Label);
    }

    [Fact]
    public async Task CompareShowsTwoAnalyses()
    {
        var s = TestPaths.SharedFile("vllm/gptoss120b_amd_1p1d_sweep");
        using var dir = new TempDir();
        var a = Path.Combine(dir.Path, "a");
        var b = Path.Combine(dir.Path, "b");
        Assert.Equal(0, (await Run("analyze", s, "--gpus", "16", "--gpu-hour-price", "3", "--slo", "p99:tpot<=20ms", "--out", a)).Code);
        Assert.Equal(0, (await Run("analyze", s, "--gpus", "16", "--gpu-hour-price", "2", "--slo", "p99:tpot<=20ms", "--out", b)).Code);
        var (code, o, e) = await Run("compare", Path.Combine(a, "analysis.json"), Path.Combine(b, "analysis.json"));
        Assert.True(code == 0, e);
        Assert.Contains("operating point $/request", o);
        Assert.Contains("0.667x", o);
    }
}
