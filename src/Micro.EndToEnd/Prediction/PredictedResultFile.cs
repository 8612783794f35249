using System.Text;
using System.Text.Json;

namespace Micro.EndToEnd.Prediction;

/// <summary>
/// A predicted point as a `vllm bench serve --save-result` file (backend "micro-predict"), so `micro analyze` and
/// anything else that reads vLLM results reads a prediction like a run.
/// </summary>
public static class PredictedResultFile
{
    public static readonly string[] Stats = ["mean", "median", "std", "p90", "p99"];

    public static byte[] ToJson(SimulationResult r, LoadShape load, string modelId, double? goodput = null)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, Micro.Core.Results.MicroJson.Writer(indented: true)))
        {
            w.WriteStartObject();
            w.WriteString("date", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("backend", "micro-predict");
            w.WriteString("label", "predicted by micro predict, not measured");
            w.WriteString("model_id", modelId);
            w.WriteNumber("num_prompts", load.NumPrompts);
            if (load.RequestRate is { } rate) w.WriteNumber("request_rate", rate); else w.WriteString("request_rate", "inf");
            w.WriteNumber("burstiness", load.Burstiness);
            if (load.Concurrency is { } c) w.WriteNumber("max_concurrency", c); else w.WriteNull("max_concurrency");
            w.WriteNumber("duration", r.Duration);
            w.WriteNumber("completed", r.Completed);
            w.WriteNumber("failed", 0);
            w.WriteNumber("total_input_tokens", r.TotalInputTokens);
            w.WriteNumber("total_output_tokens", r.TotalOutputTokens);
            w.WriteNumber("request_throughput", r.RequestThroughput);
            if (goodput is { } g) w.WriteNumber("request_goodput", g); else w.WriteNull("request_goodput");
            w.WriteNumber("output_throughput", r.OutputThroughput);
            w.WriteNumber("total_token_throughput", r.TotalTokenThroughput);
            foreach (var metric in new[] { "ttft", "tpot", "itl", "e2el" })
                foreach (var stat in Stats)
                    w.WriteNumber($"{stat}_{metric}_ms", r.Stat(metric, stat));
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    public static string FileName(LoadShape load) =>
        "predicted_" + (load.Concurrency is { } c ? $"c{c}" : "cinf") + (load.RequestRate is { } r ? "_r" + r.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : "") + ".json";
}
