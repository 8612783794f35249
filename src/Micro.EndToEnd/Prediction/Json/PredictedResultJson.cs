using System.Globalization;
using System.Text.Json.Serialization;

namespace Micro.EndToEnd.Prediction.Json;

/// <summary>A predicted point as a `vllm bench serve --save-result` file (backend "micro-predict"): vLLM's own keys, so
/// `micro analyze` and anything else that reads vLLM results reads a prediction like a run.</summary>
public sealed record PredictedResultJson
{
    public const string PredictBackend = "micro-predict";

    public required string Date { get; init; }
    public string Backend { get; init; } = PredictBackend;
    public string Label { get; init; } = "predicted by micro predict, not measured";
    public required string ModelId { get; init; }
    public required int NumPrompts { get; init; }
    [JsonConverter(typeof(RequestRateConverter))]
    public double? RequestRate { get; init; }
    public double? Burstiness { get; init; }
    public int? MaxConcurrency { get; init; }
    public double? Duration { get; init; }
    public required int Completed { get; init; }
    public int Failed { get; init; }
    public required long TotalInputTokens { get; init; }
    public required long TotalOutputTokens { get; init; }
    public double? RequestThroughput { get; init; }
    public double? RequestGoodput { get; init; }
    public double? OutputThroughput { get; init; }
    public double? TotalTokenThroughput { get; init; }
    public double? MeanTtftMs { get; init; }
    public double? MedianTtftMs { get; init; }
    public double? StdTtftMs { get; init; }
    public double? P90TtftMs { get; init; }
    public double? P99TtftMs { get; init; }
    public double? MeanTpotMs { get; init; }
    public double? MedianTpotMs { get; init; }
    public double? StdTpotMs { get; init; }
    public double? P90TpotMs { get; init; }
    public double? P99TpotMs { get; init; }
    public double? MeanItlMs { get; init; }
    public double? MedianItlMs { get; init; }
    public double? StdItlMs { get; init; }
    public double? P90ItlMs { get; init; }
    public double? P99ItlMs { get; init; }
    public double? MeanE2elMs { get; init; }
    public double? MedianE2elMs { get; init; }
    public double? StdE2elMs { get; init; }
    public double? P90E2elMs { get; init; }
    public double? P99E2elMs { get; init; }

    public static PredictedResultJson From(SimulationResult r, LoadShape load, string modelId, double? goodput)
    {
        double? S(string metric, string stat) => r.Stat(metric, stat);
        return new()
        {
            Date = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture),
            ModelId = modelId, NumPrompts = load.NumPrompts, RequestRate = load.RequestRate, Burstiness = load.Burstiness,
            MaxConcurrency = load.Concurrency, Duration = r.Duration, Completed = r.Completed,
            TotalInputTokens = r.TotalInputTokens, TotalOutputTokens = r.TotalOutputTokens,
            RequestThroughput = r.RequestThroughput, RequestGoodput = goodput,
            OutputThroughput = r.OutputThroughput, TotalTokenThroughput = r.TotalTokenThroughput,
            MeanTtftMs = S("ttft", "mean"), MedianTtftMs = S("ttft", "median"), StdTtftMs = S("ttft", "std"), P90TtftMs = S("ttft", "p90"), P99TtftMs = S("ttft", "p99"),
            MeanTpotMs = S("tpot", "mean"), MedianTpotMs = S("tpot", "median"), StdTpotMs = S("tpot", "std"), P90TpotMs = S("tpot", "p90"), P99TpotMs = S("tpot", "p99"),
            MeanItlMs = S("itl", "mean"), MedianItlMs = S("itl", "median"), StdItlMs = S("itl", "std"), P90ItlMs = S("itl", "p90"), P99ItlMs = S("itl", "p99"),
            MeanE2elMs = S("e2el", "mean"), MedianE2elMs = S("e2el", "median"), StdE2elMs = S("e2el", "std"), P90E2elMs = S("e2el", "p90"), P99E2elMs = S("e2el", "p99"),
        };
    }
}
