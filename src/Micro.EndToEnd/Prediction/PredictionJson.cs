using System.Text.Json;
using System.Text.Json.Serialization;
using Micro.Core.Results;
using Micro.EndToEnd.Prediction.Json;

namespace Micro.EndToEnd.Prediction;

/// <summary>
/// prediction.json, schema micro.prediction/1: snake_case names with units, flat at point level (the point keys are
/// pinned by a golden list in tests), written from the records of Prediction/Json through MicroJson.
/// </summary>
public static class PredictionJson
{
    public const string Schema = "micro.prediction/1";

    /// <summary>MicroJson's indented convention with every null written: a key the file states is there in every
    /// file, null where there is no value (records mark the few keys that only some objects carry).</summary>
    public static readonly JsonSerializerOptions Options = new(MicroJson.Pretty) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static byte[] Write(PredictionResult r) => JsonSerializer.SerializeToUtf8Bytes(PredictionDocument.From(r), Options);

    /// <summary>The point keys, in order (the contract the golden test pins).</summary>
    public static readonly string[] PointKeys =
    [
        "concurrency", "request_rate", "num_prompts", "mean_ttft_ms", "median_ttft_ms", "p99_ttft_ms", "mean_tpot_ms", "median_tpot_ms", "p99_tpot_ms",
        "median_itl_ms", "p99_itl_ms", "median_e2el_ms", "p99_e2el_ms", "output_throughput", "request_throughput", "total_token_throughput",
        "output_throughput_per_gpu", "request_goodput", "cost_per_request", "cost_per_1m_output_tokens", "meets_slo", "missed_slos", "sol_fraction",
        "mean_decode_batch", "preemptions", "peak_kv_fraction", "breakdown", "interval", "ttft_parts_ms",
    ];

    /// <summary>The keys of a point's 90% interval object: each a [low, high] pair.</summary>
    public static readonly string[] IntervalKeys = ["level", "median_ttft_ms", "median_tpot_ms", "output_throughput", "cost_per_request", "cost_per_1m_output_tokens"];

    public static readonly string[] BreakdownKeys = ["weights_ms", "kv_ms", "compute_ms", "attention_ms", "collectives_ms", "overhead_ms", "step_ms"];
}
