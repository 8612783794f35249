using System.Text.Json;
using Micro.Cli;
using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Tests.Shared;

namespace Micro.EndToEnd.Tests;

/// <summary>
/// `micro compare` for CI: --fail-if "METRIC&lt;-N%" / "METRIC&gt;+N%" exits 1 with one line per crossing and 0 otherwise,
/// --json is the whole of stdout (micro.compare/1), and every device of two ceilings files is compared.
/// </summary>
public class CompareGateTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static string Profile(TempDir dir, string name, params (string Device, int Rank, double Bandwidth)[] devices)
    {
        var p = new CeilingsProfile
        {
            Context = RunContext.Capture("test"),
            Devices = devices.Select(d => new DeviceCeilings
            {
                Device = d.Device, Rank = d.Rank,
                Ceilings = [new Ceiling { Name = CeilingNames.MemoryBandwidth, Value = d.Bandwidth, Unit = "GB/s", Suite = "memory", Case = "copy", Backend = "native" }],
            }).ToList(),
        };
        var path = Path.Combine(dir.Path, name);
        CeilingsFile.Write(path, p);
        return path;
    }

    [Fact]
    public async Task EveryDeviceIsComparedAndOnlyTheRegressedOneCrossesTheThreshold()
    {
        using var dir = new TempDir();
        var a = Profile(dir, "a.json", ("NVIDIA H100", 0, 3000), ("NVIDIA H100", 1, 3000));
        var b = Profile(dir, "b.json", ("NVIDIA H100", 0, 2990), ("NVIDIA H100", 1, 2500));
        var (code, o, e) = await Run("compare", a, b, "--fail-if", "memory_bandwidth<-5%");
        Assert.True(code == ExitCodes.Failed, $"exit {code}: {o}{e}");
        Assert.Equal(2, o.Split('\n').Count(l => l.TrimStart().StartsWith("memory_bandwidth", StringComparison.Ordinal)));
        // The tables fit 100 columns (a crossing is one line, however long its device name).
        Assert.All(o.Split('\n').Where(l => !l.StartsWith("fail-if ", StringComparison.Ordinal)), l => Assert.True(l.TrimEnd('\r').Length <= 100, l));
        var crossing = Assert.Single(o.Split('\n'), l => l.StartsWith("fail-if ", StringComparison.Ordinal));
        Assert.Equal("fail-if memory_bandwidth<-5%: NVIDIA H100 (rank 1): memory_bandwidth 3,000.000 -> 2,500.000 GB/s (-16.7%)", crossing);

        var (ok, _, okErr) = await Run("compare", a, b, "--fail-if", "memory_bandwidth<-20%");
        Assert.True(ok == ExitCodes.Ok, okErr);
    }

    [Fact]
    public async Task JsonIsTheWholeOfStdoutWithEveryFigureAndTheCrossings()
    {
        using var dir = new TempDir();
        var a = Profile(dir, "a.json", ("NVIDIA H100", 0, 3000));
        var b = Profile(dir, "b.json", ("NVIDIA H200", 0, 4300), ("NVIDIA H200", 1, 4200));
        var (code, o, e) = await Run("compare", a, b, "--json", "--fail-if", "memory_bandwidth>+40%");
        Assert.Equal(ExitCodes.Failed, code);
        using var doc = JsonDocument.Parse(o);
        var root = doc.RootElement;
        Assert.Equal("micro.compare/1", root.GetProperty("schema").GetString());
        Assert.Equal("ceilings", root.GetProperty("kind").GetString());
        var figure = Assert.Single(root.GetProperty("figures").EnumerateArray());
        Assert.Equal("NVIDIA H100 (rank 0) vs NVIDIA H200 (rank 0)", figure.GetProperty("scope").GetString());
        Assert.Equal(100.0 * 1300 / 3000, figure.GetProperty("change_percent").GetDouble(), 9);
        Assert.Equal("only in B: NVIDIA H200 (rank 1)", Assert.Single(root.GetProperty("unpaired").EnumerateArray()).GetString());
        Assert.Single(root.GetProperty("crossings").EnumerateArray());
        Assert.True(root.GetProperty("failed").GetBoolean());
        Assert.StartsWith("fail-if memory_bandwidth>+40%: ", Assert.Single(e.Trim().Split('\n')));
    }

    [Theory]
    [InlineData("output_throughput<5", "not METRIC<-N% or METRIC>+N%")]
    [InlineData("launch_latency>+5%", "no figure named 'launch_latency' in these files")]
    public async Task ABadOrUnknownThresholdIsOneLineExitTwoBeforeAnyTable(string threshold, string expected)
    {
        using var dir = new TempDir();
        var a = Profile(dir, "a.json", ("NVIDIA H100", 0, 3000));
        var (code, o, e) = await Run("compare", a, a, "--fail-if", threshold);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(expected, Assert.Single(e.Trim().Split('\n')));
        Assert.Equal("", o);
    }

    [Fact]
    public async Task TwoAnalysesGateOnOutputThroughput()
    {
        var gptoss = TestPaths.SharedFile("vllm/gptoss120b_amd_1p1d_sweep");
        using var dir = new TempDir();
        var a = Path.Combine(dir.Path, "a");
        Assert.Equal(0, (await Run("analyze", gptoss, "--gpus", "16", "--slo", "p99:tpot<=20ms", "--out", a)).Code);
        var analysis = Path.Combine(a, "analysis.json");
        var (same, o, e) = await Run("compare", analysis, analysis, "--fail-if", "output_throughput<-5%");
        Assert.True(same == ExitCodes.Ok, o + e);
        Assert.DoesNotContain("fail-if", o);

        // The same sweep halved: a 50% regression of every throughput.
        var halved = Path.Combine(dir.Path, "halved.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(analysis))!;
        foreach (var key in new[] { "throughput_optimal", "operating_point" })
            if (json[key] is { } point) point["output_throughput"] = point["output_throughput"]!.GetValue<double>() / 2;
        File.WriteAllText(halved, json.ToJsonString());
        var (regressed, ro, re) = await Run("compare", analysis, halved, "--fail-if", "output_throughput<-5%");
        Assert.True(regressed == ExitCodes.Failed, ro + re);
        Assert.Contains(ro.Split('\n'), l => l.StartsWith("fail-if output_throughput<-5%: throughput-optimal: output_throughput", StringComparison.Ordinal) && l.EndsWith("(-50.0%)", StringComparison.Ordinal));
    }
}
