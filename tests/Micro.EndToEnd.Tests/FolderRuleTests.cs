using Micro.Cli;
using Micro.EndToEnd.Analysis;
using Micro.EndToEnd.Ingest;

namespace Micro.EndToEnd.Tests;

/// <summary>In a sweep folder a JSON that is not a valid vLLM result is skipped with one line; named on the command line it stays an error.</summary>
public class FolderRuleTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static TempDir Sweep()
    {
        var dir = new TempDir();
        dir.Write("vllm_c4.json", TestFiles.Legacy(4, 1000, 20));
        dir.Write("vllm_c8.json", TestFiles.Legacy(8, 1800, 24));
        return dir;
    }

    [Fact]
    public async Task AnalyzeDirWithOutDirRunsTwice()
    {
        using var dir = Sweep();
        var first = await Run("analyze", dir.Path, "--out", dir.Path);
        Assert.True(first.Code == 0, first.Err);
        Assert.True(File.Exists(Path.Combine(dir.Path, "analysis.json")));
        var second = await Run("analyze", dir.Path, "--out", dir.Path);
        Assert.True(second.Code == 0, second.Err);
        var skip = Assert.Single(second.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("analysis.json", StringComparison.Ordinal));
        Assert.Contains("Micro's own output, not a vLLM result", skip);
        Assert.Equal(2, AnalysisJson.Read(Path.Combine(dir.Path, "analysis.json")).Points.Count);
    }

    [Fact]
    public void InferenceXSummaryAndInvalidResultsInAFolderAreSkippedNamingEach()
    {
        using var dir = Sweep();
        dir.Write("gptoss_summary.json", """{"model": "gpt-oss-120b", "points": [{"conc": 4, "tput_per_gpu": 28.7}]}""");
        dir.Write("other.json", """{"model": "x", "hardware": "mi355x"}""");
        dir.Write("vllm_neg.json", TestFiles.Detailed.Replace("\"ttfts\": [0.1,", "\"ttfts\": [-0.1,"));
        var set = ResultSetLoader.LoadSet([dir.Path]);
        Assert.Equal(2, set.Points.Count);
        Assert.Equal(3, set.Warnings.Count(w => w.StartsWith("skipped ", StringComparison.Ordinal)));
        Assert.Contains(set.Warnings, w => w.Contains("gptoss_summary.json: a sweep summary", StringComparison.Ordinal));
        Assert.Contains(set.Warnings, w => w.Contains("other.json: not a valid vLLM result (duration: required field is missing)", StringComparison.Ordinal));
        Assert.Contains(set.Warnings, w => w.Contains("vllm_neg.json: not a valid vLLM result (ttfts[0]", StringComparison.Ordinal) && w.Contains("negative", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSameBadFileNamedOnTheCommandLineStaysAnError()
    {
        using var dir = Sweep();
        var bad = dir.Write("sub/other.json", """{"model": "x"}""");
        var (code, _, err) = await Run("analyze", bad);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("other.json", err);
        Assert.Contains("duration", err);
    }

    [Fact]
    public void AFolderWithNoValidResultIsAnErrorNamingWhatWasSkipped()
    {
        using var dir = new TempDir();
        dir.Write("analysis.json", "{}");
        var e = Assert.Throws<Micro.Core.Results.InputException>(() => ResultSetLoader.LoadSet([dir.Path]));
        Assert.Contains("no valid vLLM result", e.Reason);
        Assert.Contains("Micro's own output", e.Reason);
    }

    [Fact]
    public async Task TheSameFileTwiceIsAnalyzedOnceWithAWarning()
    {
        using var dir = Sweep();
        var f = Path.Combine(dir.Path, "vllm_c4.json");
        var set = ResultSetLoader.LoadSet([f, dir.Path, f]);
        Assert.Equal(2, set.Points.Count);
        Assert.Equal(2, set.Warnings.Count(w => w.Contains("given twice", StringComparison.Ordinal)));
        var (code, _, err) = await Run("analyze", f, f);
        Assert.Equal(0, code);
        Assert.Contains("micro: warning: " + f + " was given twice", err);
    }

    [Fact]
    public async Task FilesOfTwoModelIdsGetAWarning()
    {
        using var dir = Sweep();
        dir.Write("vllm_c16.json", TestFiles.Legacy(16, 3000, 30).Replace("\"model_id\": \"m\"", "\"model_id\": \"other-model\""));
        var (code, _, err) = await Run("analyze", dir.Path);
        Assert.Equal(0, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("model_ids", StringComparison.Ordinal));
        Assert.Contains("2 different model_ids (m, other-model)", line);
    }
}
