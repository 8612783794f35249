using System.Text.Json;
using Micro.EndToEnd.Prediction.Json;

namespace Micro.EndToEnd.Prediction;

/// <summary>
/// A predicted point as a `vllm bench serve --save-result` file (backend "micro-predict", record PredictedResultJson),
/// so `micro analyze` and anything else that reads vLLM results reads a prediction like a run.
/// </summary>
public static class PredictedResultFile
{
    public static byte[] ToJson(SimulationResult r, LoadShape load, string modelId, double? goodput = null) =>
        JsonSerializer.SerializeToUtf8Bytes(PredictedResultJson.From(r, load, modelId, goodput), PredictionJson.Options);

    public static string FileName(LoadShape load) =>
        "predicted_" + (load.Concurrency is { } c ? $"c{c}" : "cinf") + (load.RequestRate is { } r ? "_r" + r.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : "") + ".json";
}
