using System.Text.Json;

namespace Micro.HostBench;

/// <summary>
/// Writes a synthetic `vllm bench serve --save-result --save-detailed` file: N requests with per-request arrays
/// (input_lens, output_lens, ttfts, itls, latencies, errors), seeded so every run benchmarks the same bytes.
/// Numbers are written at full double precision, as Python's json module writes them.
/// </summary>
public static class DetailedResultGenerator
{
    public static void Write(string path, int requests, int meanOutputTokens, int seed)
    {
        var rng = new Random(seed);
        var inLens = new int[requests];
        var outLens = new int[requests];
        var ttfts = new double[requests];
        var lats = new double[requests];
        var itls = new double[requests][];
        var errors = new string[requests];
        long tin = 0, tout = 0;
        var completed = 0;
        for (var i = 0; i < requests; i++)
        {
            // One request in a thousand fails, as vLLM records it: error text, no output, ttft 0.
            if (rng.Next(1000) == 0)
            {
                errors[i] = "ClientConnectorError: connection reset";
                inLens[i] = 512 + rng.Next(1536);
                itls[i] = [];
                continue;
            }
            errors[i] = "";
            inLens[i] = 512 + rng.Next(1536);
            outLens[i] = meanOutputTokens - 8 + rng.Next(17);
            ttfts[i] = 0.05 + rng.NextDouble() * 1.5;
            var gaps = new double[outLens[i] - 1];
            var sum = 0.0;
            for (var j = 0; j < gaps.Length; j++)
            {
                // Steady ~15 ms decode steps with an occasional 40 ms stall (prefill interference).
                gaps[j] = 0.015 + rng.NextDouble() * 0.004 + (rng.Next(50) == 0 ? 0.04 : 0);
                sum += gaps[j];
            }
            itls[i] = gaps;
            lats[i] = ttfts[i] + sum;
            tin += inLens[i];
            tout += outLens[i];
            completed++;
        }
        var duration = lats.Max() * requests / 256.0;
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream);
        w.WriteStartObject();
        w.WriteString("date", "20260101-000000");
        w.WriteString("backend", "vllm");
        w.WriteString("model_id", "synthetic/100k-requests");
        w.WriteNumber("num_prompts", requests);
        w.WriteString("request_rate", "inf");
        w.WriteNumber("burstiness", 1.0);
        w.WriteNumber("max_concurrency", 256);
        w.WriteNumber("duration", duration);
        w.WriteNumber("completed", completed);
        w.WriteNumber("failed", requests - completed);
        w.WriteNumber("total_input_tokens", tin);
        w.WriteNumber("total_output_tokens", tout);
        w.WriteNumber("request_throughput", completed / duration);
        w.WriteNull("request_goodput");
        w.WriteNumber("output_throughput", tout / duration);
        w.WriteNumber("total_token_throughput", (tin + tout) / duration);
        foreach (var metric in new[] { "ttft", "tpot", "itl", "e2el" })
        {
            w.WriteNumber($"mean_{metric}_ms", 20.0);
            w.WriteNumber($"median_{metric}_ms", 20.0);
            w.WriteNumber($"p99_{metric}_ms", 40.0);
        }
        WriteArray(w, "input_lens", inLens);
        WriteArray(w, "output_lens", outLens);
        WriteArray(w, "ttfts", ttfts);
        w.WriteStartArray("itls");
        foreach (var r in itls)
        {
            w.WriteStartArray();
            foreach (var g in r) w.WriteNumberValue(g);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        WriteArray(w, "latencies", lats);
        w.WriteStartArray("errors");
        foreach (var e in errors) w.WriteStringValue(e);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter w, string name, int[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void WriteArray(Utf8JsonWriter w, string name, double[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
