using Micro.Cli;
using Micro.EndToEnd.Metrics;
using Micro.Tests.Shared;

namespace Micro.EndToEnd.Tests;

/// <summary>
/// analyze keeps predict's conventions (model presets, deployment and head rules), judges p50 and vLLM's --goodput form,
/// fits 100 columns and ends with the operating point and the figure each SLO judged.
/// </summary>
public class AnalyzeConventionTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Theory]
    [InlineData("p50:ttft<=200ms", "median", "ttft", 200)]
    [InlineData("P50:TTFT<=0.2s", "median", "ttft", 200)]
    [InlineData("ttft:200", "p99", "ttft", 200)]
    [InlineData("tpot:50.5", "p99", "tpot", 50.5)]
    [InlineData("p99.9:e2el<=800ms", "p99.9", "e2el", 800)]
    public void SloTakesP50AsTheMedianAndVllmsGoodputForm(string text, string stat, string metric, double ms)
    {
        var s = SloSpec.Parse(text);
        Assert.Equal((stat, metric, ms), (s.Stat, s.Metric, s.ThresholdMs));
    }

    [Theory]
    [InlineData("analyze")]
    [InlineData("predict")]
    public async Task GpusThatAreNotAMultipleOfTheTpAreRefusedAlikeByAnalyzeAndPredict(string verb)
    {
        string[] args = verb == "analyze"
            ? ["analyze", TestPaths.SharedFile("vllm/gptoss120b_amd_1p1d_sweep"), "--gpus", "8", "--tp", "3"]
            : ["predict", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--gpus", "8", "--tp", "3", "--num-prompts", "4"];
        var (code, _, e) = await Run(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("micro: --gpus 8 is not a multiple of --tp 3: every replica needs 3 GPUs", e.Trim());
    }

    [Fact]
    public async Task APresetModelGivesTheSpeedOfLightAndTheAnswerComesLastWithinOneHundredColumns()
    {
        var sweep = TestPaths.SharedFile("vllm/gptoss120b_amd_1p1d_sweep");
        var (code, o, e) = await Run("analyze", sweep, "--model", "gpt-oss-120b", "--gpu", "mi355x", "--gpus", "16", "--tp", "8",
            "--slo", "p50:ttft<=2000ms", "--slo", "tpot:20");
        Assert.True(code == 0, e);
        var lines = o.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= 100, $"{l.Length} columns: {l}"));
        Assert.Contains(lines, l => l.StartsWith("speed of light: ", StringComparison.Ordinal));
        Assert.StartsWith("operating point: ", lines[^3]);
        Assert.StartsWith("  SLO median:ttft<=2000ms: median TTFT ", lines[^2]);
        Assert.Matches(@": (met|missed)$", lines[^2]);
        Assert.StartsWith("  SLO p99:tpot<=20ms: p99 TPOT ", lines[^1]);
    }

    [Fact]
    public async Task ATpBreakingTheModelsHeadRulesIsRefusedAsPredictRefusesIt()
    {
        var (code, _, e) = await Run("analyze", TestPaths.SharedFile("vllm/gptoss120b_amd_1p1d_sweep"), "--model", "llama-3.1-8b", "--gpu", "h100-sxm",
            "--gpus", "3", "--tp", "3");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("does not divide the 32 attention heads", e);
    }
}
