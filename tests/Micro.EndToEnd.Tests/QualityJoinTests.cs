using System.Text.Json;
using Micro.Cli;
using Micro.EndToEnd.Analysis;
using Micro.EndToEnd.Traffic;
using Micro.Tests.Shared;

namespace Micro.EndToEnd.Tests;

/// <summary>--quality joined to analyze's runs and predict's points (the plan's rows: CapacityPlanTests), with one table format and one frontier.</summary>
public class QualityJoinTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void TheFirstKeyWithARowWinsAndTheFrontierKeepsOnlyUnbeatenRunsThatMeetTheSlo()
    {
        var table = new QualityTable("q.csv", [new QualityEntry("a", 0.9, 0.1), new QualityEntry("m/fp8", 0.8, null), new QualityEntry("B", 0.95, null)]);
        var joined = table.Join([
            new QualityCandidate(["a", "m/fp8"], 2.0, true),   // its own row (0.9), not the model's
            new QualityCandidate(["x", "m/fp8"], 1.0, true),   // the model's row: cheapest, on the frontier
            new QualityCandidate(["b"], 3.0, true),            // best and dearest: on the frontier
            new QualityCandidate(["b"], 0.5, false),           // cheapest of all but misses the SLO: never on it
            new QualityCandidate(["a"], 2.5, true),            // beaten by the first (cheaper, as good)
            new QualityCandidate(["none"], 0.1, true),         // no row: no score, not on it
        ]);
        Assert.Equal([0.9, 0.8, 0.95, 0.95, 0.9], joined.Take(5).Select(j => j.Entry!.Score));
        Assert.Null(joined[5].Entry);
        Assert.Equal([true, true, true, false, false, false], joined.Select(j => j.OnFrontier));
        Assert.Equal(0.1, joined[0].Entry!.ShareBelowFloor);
    }

    [Fact]
    public async Task AnalyzeJoinsQualityToEachRunByFileNameAndMarksTheFrontier()
    {
        var s = TestPaths.SharedFile("vllm/gptoss120b_amd_1p1d_sweep");
        using var dir = new TempDir();
        // Hand-made scores: the small batches score higher (as if a quality check had found so); c512 has no row.
        var q = dir.Write("quality.csv", "config,score,share_below_floor\nvllm_gptoss120b_c4,0.90,0.01\nvllm_gptoss120b_c8,0.90,0.01\nvllm_gptoss120b_c16,0.88,\n" +
            "vllm_gptoss120b_c32,0.88,\nvllm_gptoss120b_c64,0.85,\nvllm_gptoss120b_c128,0.85,\nvllm_gptoss120b_c256,0.80,0.2\n");
        var (code, o, e) = await Run("analyze", s, "--gpus", "16", "--tp", "8", "--gpu-hour-price", "2", "--quality", q, "--out", dir.Path);
        Assert.True(code == 0, e);
        Assert.Contains("quality", o);
        Assert.Contains("(frontier)", o);
        var r = AnalysisJson.Read(Path.Combine(dir.Path, "analysis.json"));
        Assert.Equal(q, r.QualitySource);
        var c8 = r.Points.Single(p => p.Source.EndsWith("_c8.json", StringComparison.Ordinal));
        Assert.Equal(0.90, c8.Quality);
        Assert.Equal("vllm_gptoss120b_c8", c8.QualityKey);
        Assert.Equal(0.01, c8.QualityShareBelowFloor);
        var c512 = r.Points.Single(p => p.Source.EndsWith("_c512.json", StringComparison.Ordinal));
        Assert.Null(c512.Quality);
        Assert.False(c512.OnQualityFrontier);
        // The frontier by brute force: scored runs no other scored run beats on both cost per 1M output tokens and score.
        foreach (var p in r.Points)
        {
            var beaten = r.Points.Any(x => x.Quality is not null && p.Quality is not null && x.CostPer1MOutputTokens <= p.CostPer1MOutputTokens && x.Quality >= p.Quality
                                           && (x.CostPer1MOutputTokens < p.CostPer1MOutputTokens || x.Quality > p.Quality));
            Assert.Equal(p.Quality is not null && !beaten, p.OnQualityFrontier);
        }
        Assert.Contains(r.Points, p => p.OnQualityFrontier == true);
    }

    [Fact]
    public async Task PredictWritesQualityKeysOnEachPointByModelAndWeightDtype()
    {
        using var dir = new TempDir();
        var q = dir.Write("quality.csv", "config,score\nllama-3.1-8b/bf16,0.72\n");
        var (code, o, e) = await Run("predict", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--concurrency", "1,8", "--isl", "512", "--osl", "32",
            "--num-prompts", "16", "--slo", "p99:tpot<=50ms", "--quality", q, "--out", dir.Path);
        Assert.True(code == 0, e);
        Assert.Contains("== quality beside cost", o);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir.Path, "prediction.json")));
        foreach (var point in doc.RootElement.GetProperty("points").EnumerateArray())
        {
            var names = point.EnumerateObject().Select(p => p.Name).ToList();
            var at = names.IndexOf("peak_kv_fraction") + 1;
            Assert.Equal(TrafficJson.QualityKeys, names.Skip(at).Take(TrafficJson.QualityKeys.Length));
            Assert.Equal(0.72, point.GetProperty("quality").GetDouble());
            Assert.Equal("llama-3.1-8b/bf16", point.GetProperty("quality_key").GetString());
        }
        // Both points meet the SLO with the same score: only the cheaper per 1M output tokens is on the frontier.
        Assert.Single(doc.RootElement.GetProperty("points").EnumerateArray(), p => p.GetProperty("on_quality_frontier").GetBoolean());
    }

    [Fact]
    public async Task ABadQualityRowIsOneLineWithExit2()
    {
        using var dir = new TempDir();
        var q = dir.Write("quality.csv", "config,score\nx,high\n");
        var s = TestPaths.SharedFile("vllm/gptoss120b_amd_1p1d_sweep");
        var (code, _, e) = await Run("analyze", s, "--quality", q);
        Assert.Equal(2, code);
        Assert.Contains(q + ":2", e);
        Assert.Contains("score", e);
        Assert.Single(e.Trim().Split('\n'));
    }
}
