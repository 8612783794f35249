using Micro.Cli;
using Micro.Cli.Options;
using Micro.Core.Models;
using Micro.EndToEnd.Analysis;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Metrics;
using Micro.EndToEnd.SpeedOfLight;
using Micro.Tests.Shared;
using DeploymentRecord = Micro.EndToEnd.Deployment.Deployment;

namespace Micro.EndToEnd.Tests;

/// <summary>--prefill-gpus/--decode-gpus/--prefill-tp/--decode-tp: one option factory, SoL per pool, diagnosis that knows the phases run apart.</summary>
public class DeploymentTests
{
    [Fact]
    public void AggregatedFlagsKeepTheirDefaults()
    {
        var d = DeploymentOptions.Resolve(null, null, null, null, null, null, null);
        Assert.False(d.Disaggregated);
        Assert.Equal(1, d.BilledGpus);
        var d16 = DeploymentOptions.Resolve(16, 8, null, null, null, null, null);
        Assert.Equal(16, d16.BilledGpus);
        Assert.Equal(8, d16.Decode.TensorParallel);
        Assert.Equal(1, d16.DecodeReplicas);
    }

    [Fact]
    public void DisaggregatedFlagsMakeTwoPoolsBilledTogether()
    {
        var d = DeploymentOptions.Resolve(null, null, null, 8, 16, 8, 4);
        Assert.True(d.Disaggregated);
        Assert.Equal(24, d.BilledGpus);
        Assert.Equal(8, d.PrefillTensorParallel);
        Assert.Equal(1, d.PrefillReplicas);
        Assert.Equal(4, d.Decode.TensorParallel);
        Assert.Equal(4, d.DecodeReplicas);
    }

    [Theory]
    [InlineData(16, null, null, "--gpus", "not both")]
    [InlineData(null, 8, null, "--tp", "not both")]
    [InlineData(null, null, 2, "--decode-replicas", "not both")]
    public void AggregatedAndDisaggregatedFlagsTogetherAreRejected(int? gpus, int? tp, int? replicas, string named, string reason)
    {
        var e = Assert.Throws<UsageException>(() => DeploymentOptions.Resolve(gpus, tp, replicas, 8, 8, 8, 8));
        Assert.StartsWith(named, e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void IncompleteOrImpossiblePoolsAreRejectedNamingTheFlag()
    {
        Assert.Contains("--decode-tp is missing", Assert.Throws<UsageException>(() => DeploymentOptions.Resolve(null, null, null, 8, 8, 8, null)).Message);
        Assert.Contains("--prefill-tp 16 is larger than --prefill-gpus 8", Assert.Throws<UsageException>(() => DeploymentOptions.Resolve(null, null, null, 8, 8, 16, 8)).Message);
        Assert.Contains("--decode-gpus 12 is not a multiple of --decode-tp 8", Assert.Throws<UsageException>(() => DeploymentOptions.Resolve(null, null, null, 8, 12, 8, 8)).Message);
        Assert.Contains("--tp 8 is larger than --gpus 4", Assert.Throws<UsageException>(() => DeploymentOptions.Resolve(4, 8, null, null, null, null, null)).Message);
        Assert.Contains("--prefill-gpus must be at least 1", Assert.Throws<UsageException>(() => DeploymentOptions.Resolve(null, null, null, 0, 8, 8, 8)).Message);
    }

    [Fact]
    public async Task AnalyzeWithBothKindsOfFlagsExitsTwoWithOneLine()
    {
        using var dir = new TempDir();
        var f = dir.Write("r.json", TestFiles.Legacy(4, 1000, 20));
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(["analyze", f, "--gpus", "16", "--prefill-gpus", "8", "--decode-gpus", "8", "--prefill-tp", "8", "--decode-tp", "8"], o, e);
        Assert.Equal(ExitCodes.Usage, code);
        var line = Assert.Single(e.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--gpus", line);
        Assert.Contains("not both", line);
    }

    private static AnalysisResult Analyze(DeploymentRecord d, string file, SolModel? sol = null) =>
        Analyzer.Analyze(VllmResultReader.ReadFile(file), new AnalysisOptions
        {
            Slos = [SloSpec.Parse("p99:tpot<=50ms")], Deployment = d, GpuHourPrice = 2, PriceSource = "test", Sol = sol,
        }, [file]);

    [Fact]
    public void DisaggregatedDiagnosisNeverBlamesPrefillInterferenceOnTheDecodePool()
    {
        using var dir = new TempDir();
        // p99 ITL / median ITL = 1.5 / 0.9 > 1.5: jittery decode.
        var f = dir.Write("r.json", TestFiles.Legacy(4, 1000, 20));
        var agg = Analyze(DeploymentRecord.Aggregated(16, 8), f).Points[0];
        Assert.Contains(agg.Diagnosis, l => l.Contains("consistent with prefill interference", StringComparison.Ordinal));
        var split = Analyze(DeploymentRecord.Split(new(8, 8), new(8, 8)), f);
        var p = split.Points[0];
        Assert.DoesNotContain(p.Diagnosis, l => l.Contains("consistent with prefill interference", StringComparison.Ordinal));
        Assert.Contains(p.Diagnosis, l => l.Contains("prefill runs on its own pool", StringComparison.Ordinal));
        // Per-GPU figures and cost over P + D GPUs.
        Assert.Equal(16, split.Gpus);
        Assert.Equal(1000.0 / 16, p.OutputThroughputPerGpu, 9);
        Assert.Equal(16 * 2 / 3600.0 / p.RequestThroughput, p.CostPerRequest!.Value, 12);
        Assert.True(split.Deployment!.Disaggregated);
        Assert.Contains(split.Assumptions, a => a.Contains("disaggregated: prefill pool 8 GPU(s) at TP 8", StringComparison.Ordinal));
    }

    [Fact]
    public void SpeedOfLightOfEachPhaseUsesItsOwnPool()
    {
        using var dir = new TempDir();
        var m = ModelConfigReader.Read(dir.Write("config.json", SpeedOfLightTests.Llama8BConfig));
        var sol = new SolModel(m, WeightFormat.For(m, null), HardwareProfile.FromDatasheet("h100-sxm"), 2, 2, ParameterCountMode.DecodeReads);
        var f = dir.Write("r.json", TestFiles.Legacy(4, 1000, 20));
        // Prefill on 8 GPUs at TP 8, decode on 2 GPUs at TP 2: TTFT bound divides by 8, the decode step by 2.
        var p = Analyze(DeploymentRecord.Split(new(8, 8), new(2, 2)), f, sol).Points[0];
        Assert.Equal(sol.WithTensorParallel(8).PrefillSeconds(1024) * 1000, p.SolTtftMs!.Value, 9);
        Assert.Equal(sol.Decode(4, 1024 + 512).StepSeconds * 1000, p.SolTpotMs!.Value, 9);
        var prefillCapacity = 1 / sol.WithTensorParallel(8).PrefillSeconds(1024);
        var decodeCapacity = 4 / (1024 * sol.Decode(4, 1024 + 512).StepSeconds);
        Assert.Equal(Math.Min(prefillCapacity, decodeCapacity), p.SolRequestThroughput!.Value, 9);
    }

    [Fact]
    public async Task GptOssOneP1DSweepAnalyzedAsTwoPoolsSaysNoPrefillInterference()
    {
        var s = TestPaths.SharedFile("vllm/gptoss120b_amd_1p1d_sweep");
        var m = TestPaths.SharedFile("models/config_gpt_oss_120b.json");
        using var dir = new TempDir();
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(["analyze", s, "--model", m, "--gpu", "mi355x", "--prefill-gpus", "8", "--decode-gpus", "8",
            "--prefill-tp", "8", "--decode-tp", "8", "--out", dir.Path], o, e);
        Assert.True(code == 0, e.ToString());
        Assert.DoesNotContain("consistent with prefill interference", o.ToString());
        var r = AnalysisJson.Read(Path.Combine(dir.Path, "analysis.json"));
        Assert.Equal(16, r.Gpus);
        Assert.True(r.Deployment!.Disaggregated);
        Assert.Equal(8, r.Deployment.Prefill!.TensorParallel);
        Assert.All(r.Points, p => Assert.DoesNotContain(p.Diagnosis, l => l.Contains("consistent with prefill interference", StringComparison.Ordinal)));
        Assert.All(r.Points, p => Assert.Equal(p.OutputThroughput / 16, p.OutputThroughputPerGpu, 9));
    }
}
