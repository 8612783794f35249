using System.Globalization;
using System.Text;
using Micro.EndToEnd.Analysis;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Metrics;

namespace Micro.Reports.Tests.Fixtures;

/// <summary>Analyses built the way `micro analyze` builds them: vLLM `--save-result` lines through the real reader and analyzer.</summary>
public static class AnalysisFixtures
{
    /// <summary>One vLLM result; the mean TPOT is 80% of the p99, so a p99 SLO between them separates the two statistics.</summary>
    public static string VllmLine(double concurrency, double outputThroughput, double p99TpotMs, string modelId = "m")
    {
        var c = CultureInfo.InvariantCulture;
        var n = Math.Max(1, (int)concurrency) * 10;
        var model = System.Text.Json.JsonSerializer.Serialize(modelId);
        return string.Create(c, $$"""
            {"date": "20260428-095432", "backend": "openai", "model_id": {{model}}, "num_prompts": {{n}}, "request_rate": "inf", "burstiness": 1.0, "max_concurrency": {{concurrency}}, "duration": 100.0, "completed": {{n}}, "total_input_tokens": {{n * 1024}}, "total_output_tokens": {{n * 1024}}, "request_throughput": {{outputThroughput / 1024}}, "request_goodput:": null, "output_throughput": {{outputThroughput}}, "total_token_throughput": {{outputThroughput * 2}}, "mean_ttft_ms": 300, "median_ttft_ms": 280, "p99_ttft_ms": 900, "mean_tpot_ms": {{p99TpotMs * 0.8}}, "median_tpot_ms": {{p99TpotMs * 0.78}}, "p99_tpot_ms": {{p99TpotMs}}, "median_itl_ms": {{p99TpotMs * 0.7}}, "p99_itl_ms": {{p99TpotMs * 1.5}}, "mean_e2el_ms": {{p99TpotMs * 1100}}, "p99_e2el_ms": {{p99TpotMs * 1200}}}
            """).ReplaceLineEndings("");
    }

    /// <summary>A sweep of <paramref name="points"/> concurrencies (1, 2, 3 ...): throughput grows, TPOT grows with it.</summary>
    public static string SweepFile(string dir, int points, string modelId = "m")
    {
        var b = new StringBuilder();
        for (var i = 1; i <= points; i++) b.AppendLine(VllmLine(i, 100.0 * i / (1 + i / 64.0), 5 + 0.05 * i, modelId));
        var path = Path.Combine(dir, "sweep.jsonl");
        File.WriteAllText(path, b.ToString());
        return path;
    }

    public static AnalysisResult Analyze(string file, params string[] slos) =>
        Analyzer.Analyze(ResultSetLoader.Load([file]), new AnalysisOptions
        {
            Slos = slos.Select(SloSpec.Parse).ToList(), GpuHourPrice = 2, PriceSource = "test price",
        }, [file]);

    public static AnalysisResult Result(int points, params string[] slos)
    {
        var dir = Directory.CreateTempSubdirectory("micro-analysis-");
        try { return Analyze(SweepFile(dir.FullName, points), slos); }
        finally { dir.Delete(recursive: true); }
    }
}
