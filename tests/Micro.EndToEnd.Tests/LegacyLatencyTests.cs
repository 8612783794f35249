using System.Globalization;
using System.Text;
using Micro.Cli;
using Micro.EndToEnd.Analysis;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Metrics;

namespace Micro.EndToEnd.Tests;

/// <summary>
/// vLLM 0.5.4 benchmark_serving files (LambdaLabsML/vllm-benchmark's format): per-request ttfts and itls but no
/// latencies, no max_concurrency, no request_goodput, no failed, no num_prompts, no request_rate.
/// </summary>
public class LegacyLatencyTests
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    // 7 real replies of 64 tokens streamed in 7 chunks (6 gaps) and 3 zero-token "successes" with TTFT 0.
    private static readonly double[] Ttfts = [0.062, 0.063, 0.064, 0.065, 0.062, 0.063, 0.064, 0, 0, 0];
    private static readonly double[] Gaps = [0.02, 0.02, 0.02, 0.02, 0.02, 0.03];

    private static string Arr(IEnumerable<double> v) => "[" + string.Join(", ", v.Select(x => x.ToString("R", C))) + "]";

    /// <summary>Exactly the keys of the Lambda file; stated TTFT/ITL match the arrays, stated E2EL/TPOT cannot be rebuilt from them.</summary>
    public static string LambdaFile()
    {
        var real = Ttfts.Select(t => t > 0).ToArray();
        var itls = real.Select(r => r ? Gaps : []).ToArray();
        var outLens = real.Select(r => r ? 64 : 0).ToArray();
        var ttftMs = Ttfts.Select(t => t * 1000).ToArray();
        var itlMs = itls.SelectMany(g => g).Select(t => t * 1000).ToArray();
        var b = new StringBuilder("{");
        void Kv(string k, string v) => b.Append($"\"{k}\": {v}, ");
        void N(string k, double v) => Kv(k, v.ToString("R", C));
        N("duration", 1.5); N("completed", 10); N("total_input_tokens", 20480); N("total_output_tokens", 448);
        N("request_throughput", 10 / 1.5); N("input_throughput", 20480 / 1.5); N("output_throughput", 448 / 1.5);
        foreach (var (metric, values) in new[] { ("ttft", ttftMs), ("itl", itlMs) })
        {
            N($"mean_{metric}_ms", values.Average()); N($"median_{metric}_ms", Percentile(values, 50));
            N($"std_{metric}_ms", Math.Sqrt(values.Average(x => (x - values.Average()) * (x - values.Average())))); N($"p99_{metric}_ms", Percentile(values, 99));
        }
        N("mean_tpot_ms", 3.61); N("median_tpot_ms", 3.5); N("std_tpot_ms", 0.3); N("p99_tpot_ms", 4.2);
        N("mean_latency_ms", 290.35); N("median_latency_ms", 300.1); N("std_latency_ms", 100.2); N("p99_latency_ms", 420.0);
        Kv("input_lens", "[" + string.Join(", ", Enumerable.Repeat(2048, 10)) + "]");
        Kv("output_lens", "[" + string.Join(", ", outLens) + "]");
        Kv("ttfts", Arr(Ttfts));
        Kv("itls", "[" + string.Join(", ", itls.Select(Arr)) + "]");
        Kv("generated_texts", "[" + string.Join(", ", real.Select(r => r ? "\"hello\"" : "\"\"")) + "]");
        b.Append("\"errors\": [" + string.Join(", ", Enumerable.Repeat("\"\"", 10)) + "]}");
        return b.ToString();
    }

    /// <summary>numpy's linear percentile, written out here (not the code under test).</summary>
    private static double Percentile(double[] v, double p)
    {
        var s = v.Order().ToArray();
        var pos = p / 100 * (s.Length - 1);
        var lo = (int)Math.Floor(pos);
        return lo + 1 < s.Length ? s[lo] + (pos - lo) * (s[lo + 1] - s[lo]) : s[lo];
    }

    private static PointAnalysis Analyze(string path, params string[] slos) =>
        Analyzer.Analyze(VllmResultReader.ReadFile(path), new AnalysisOptions { Slos = slos.Select(SloSpec.Parse).ToList(), PriceSource = "none" }, [path]).Points[0];

    [Fact]
    public void StatedE2elAndTpotAreKeptWithTheirProvenanceAndNoDiscrepancyIsReported()
    {
        using var dir = new TempDir();
        var p = Analyze(dir.Write("Meta-Llama-3.1-8B-FP8_tp1_len2048.json", LambdaFile()));
        Assert.Empty(p.Discrepancies);
        Assert.DoesNotContain(p.Diagnosis, l => l.Contains("but its own per-request arrays give", StringComparison.Ordinal));
        Assert.Equal(290.35, p.Latency("mean", "e2el"));
        Assert.Equal(420.0, p.Latency("p99", "e2el"));
        Assert.Equal(3.61, p.Latency("mean", "tpot"));
        Assert.Equal(PointAnalyzer.StatedNotRecomputable, p.LatencyProvenance["mean_e2el_ms"]);
        Assert.Equal(PointAnalyzer.StatedNotRecomputable, p.LatencyProvenance["p99_tpot_ms"]);
        Assert.Equal(PointAnalyzer.Recomputed, p.LatencyProvenance["mean_ttft_ms"]);
        Assert.Equal(PointAnalyzer.Recomputed, p.LatencyProvenance["p99_itl_ms"]);
        // TTFT over all ten successes, as vLLM states it: 443 ms / 10.
        Assert.Equal(44.3, p.Latency("mean", "ttft")!.Value, 9);
        Assert.Contains(p.Diagnosis, l => l.Contains("not recomputable", StringComparison.Ordinal));
        Assert.Contains("E2EL and TPOT as stated", p.LatencySource);
    }

    [Fact]
    public void ZeroTokenRepliesAreCountedAndNamedAndHaveNoTpot()
    {
        using var dir = new TempDir();
        var p = Analyze(dir.Write("r.json", LambdaFile()), "p99:ttft<=1s");
        Assert.Equal(3, p.ZeroTokenRequests);
        Assert.Equal(443.0 / 7, p.MeanTtftMsWithTokens!.Value, 9);
        Assert.Contains(p.Diagnosis, l => l.StartsWith("3 of 10 completed requests returned 0 tokens", StringComparison.Ordinal) && l.Contains("63.3 ms", StringComparison.Ordinal));
        // Zero-token replies are no useful work: 7 good requests in 1.5 s.
        Assert.Equal(7 / 1.5, p.GoodputRps!.Value, 9);
        var m = RecomputedMetrics.From(VllmResultReader.ReadFile(Path.Combine(dir.Path, "r.json"))[0].Requests!);
        Assert.Null(m.TpotMs);
        Assert.Null(m.Get("tpot", "mean"));
        Assert.Null(m.Get("e2el", "mean"));
    }

    [Fact]
    public void ZeroTokenRepliesHaveUndefinedTpotWhereLatenciesExist()
    {
        using var dir = new TempDir();
        var f = dir.Write("d.json", """
            {"duration": 1.0, "completed": 3, "failed": 0, "total_input_tokens": 30, "total_output_tokens": 5, "request_throughput": 3.0,
             "output_throughput": 5.0, "total_token_throughput": 35.0, "max_concurrency": 3, "request_rate": "inf",
             "input_lens": [10, 10, 10], "output_lens": [3, 2, 0], "ttfts": [0.1, 0.1, 0.0], "latencies": [0.3, 0.2, 0.05],
             "itls": [[0.1, 0.1], [0.1], []], "errors": ["", "", ""]}
            """);
        var m = RecomputedMetrics.From(VllmResultReader.ReadFile(f)[0].Requests!);
        Assert.Equal(1, m.ZeroTokenRequests);
        Assert.True(double.IsNaN(m.TpotMs![2]));
        Assert.Equal(100, m.Get("tpot", "mean")!.Value, 9);
        Assert.Equal(2, m.Get("tpot", "mean") is not null ? m.ByMetric["tpot"].Count : 0);
    }

    [Fact]
    public void ConcurrencyOfAnInfiniteRateFileWithoutMaxConcurrencyIsItsNumberOfPrompts()
    {
        using var dir = new TempDir();
        var p = Analyze(dir.Write("r.json", LambdaFile()));
        Assert.Equal(10, p.Concurrency);
        Assert.Contains("request_rate", p.ConcurrencySource);
        Assert.Equal(double.PositiveInfinity, p.RequestRate);
        var stated = Analyze(dir.Write("s.json", TestFiles.Legacy(4, 1000, 20).Replace("\"max_concurrency\": 4,", "")));
        Assert.Equal(40, stated.Concurrency);
        Assert.StartsWith("num_prompts (request_rate inf", stated.ConcurrencySource);
    }

    [Fact]
    public void ItlFromMultiTokenChunksIsFlaggedInWords()
    {
        using var dir = new TempDir();
        var p = Analyze(dir.Write("r.json", LambdaFile()));
        // 7 x 6 gaps for 7 x 63 decode tokens.
        Assert.Equal(441.0 / 42, p.ItlTokensPerChunk!.Value, 9);
        Assert.Contains(p.Diagnosis, l => l.StartsWith("ITL is the time between streamed chunks, not per token: 42 ITL samples for 441 decode tokens", StringComparison.Ordinal));
        var perToken = Analyze(dir.Write("d.json", TestFiles.Detailed));
        Assert.Null(perToken.ItlTokensPerChunk);
    }

    [Fact]
    public async Task AnalyzeWithNeitherGpuNorPriceRunsAndSaysWhyCostIsNa()
    {
        using var dir = new TempDir();
        var f = dir.Write("r.json", LambdaFile());
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(["analyze", f, "--out", Path.Combine(dir.Path, "out")], o, e);
        Assert.True(code == 0, e.ToString());
        Assert.Contains("cost n/a: no --gpu and no --gpu-hour-price given", o.ToString());
        var r = AnalysisJson.Read(Path.Combine(dir.Path, "out", "analysis.json"));
        Assert.Null(r.GpuHourPrice);
        Assert.Contains("cost figures are n/a", r.PriceSource);
        Assert.Null(r.Points[0].CostPerRequest);
        Assert.Null(r.Points[0].CostPer1MOutputTokens);
        Assert.Null(r.ThroughputOptimal.CostPerRequest);
        var json = File.ReadAllText(Path.Combine(dir.Path, "out", "analysis.json"));
        Assert.Contains("\"latency_provenance\"", json);
        Assert.Contains("\"zero_token_requests\": 3", json);
    }
}
