namespace Micro.EndToEnd.Tests;

/// <summary>Small hand-made inputs written to a temp directory (real shared data is read via TestPaths).</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("micro-e2e-").FullName;

    public string Write(string name, string text)
    {
        var p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        File.WriteAllText(p, text);
        return p;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

public static class TestFiles
{
    /// <summary>
    /// A current-format detailed result with 4 requests (one failed). Expected values by hand:
    /// ttft ms [100,200,300]; tpot ms [20,50] (request 2 has one output token); itl ms [10,20,30,50,50]; e2el ms [160,300,300].
    /// mean_ttft_ms is stated wrongly (250) on purpose; p99_tpot_ms 49.7 is right.
    /// </summary>
    public const string Detailed = """
    {"date": "20260101-000000", "backend": "vllm", "model_id": "<b>m</b>", "num_prompts": 4, "request_rate": "inf",
     "burstiness": 1.0, "max_concurrency": 4, "duration": 1.0, "completed": 3, "failed": 1,
     "total_input_tokens": 60, "total_output_tokens": 8, "request_throughput": 3.0, "request_goodput": null,
     "output_throughput": 8.0, "total_token_throughput": 68.0,
     "mean_ttft_ms": 250.0, "median_ttft_ms": 200.0, "p99_ttft_ms": 298.0, "p99_tpot_ms": 49.7, "mean_itl_ms": 32.0,
     "p99.9_itl_ms": 50.0, "median_e2el_ms": 300.0,
     "input_lens": [10, 20, 30, 40], "output_lens": [4, 3, 1, 0], "ttfts": [0.1, 0.2, 0.3, 0.0],
     "itls": [[0.02, 0.03, 0.01], [0.05, 0.05], [], []], "latencies": [0.16, 0.3, 0.3, 0.0],
     "generated_texts": ["a", "b", "c", ""], "errors": ["", "", "", "boom"]}
    """;

    /// <summary>A legacy benchmark_serving.py summary (no arrays, "request_goodput:" with the colon, no failed).</summary>
    public static string Legacy(int concurrency, double outTput, double p99Tpot) => $$"""
    {"date": "20260428-095432", "backend": "openai", "model_id": "m", "num_prompts": {{concurrency * 10}}, "request_rate": "inf",
     "burstiness": 1.0, "max_concurrency": {{concurrency}}, "duration": 100.0, "completed": {{concurrency * 10}},
     "total_input_tokens": {{concurrency * 10240}}, "total_output_tokens": {{concurrency * 10240}},
     "request_throughput": {{outTput / 1024}}, "request_goodput:": null, "output_throughput": {{outTput}},
     "total_token_throughput": {{outTput * 2}}, "mean_ttft_ms": 300, "p99_ttft_ms": 900, "mean_tpot_ms": {{p99Tpot * 0.95}},
     "p99_tpot_ms": {{p99Tpot}}, "median_itl_ms": {{p99Tpot * 0.9}}, "p99_itl_ms": {{p99Tpot * 1.5}},
     "mean_e2el_ms": {{p99Tpot * 1100}}, "p99_e2el_ms": {{p99Tpot * 1200}}}
    """;
}
