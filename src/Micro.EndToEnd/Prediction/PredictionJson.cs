using System.Text.Json;
using System.Text.Json.Serialization;
using Micro.Core.Results;
using Micro.EndToEnd.Prediction.Json;

namespace Micro.EndToEnd.Prediction;

/// <summary>
/// prediction.json, schema micro.prediction/1: snake_case names with units, flat at point level, written from the
/// records of Prediction/Json through MicroJson (the keys are pinned by tests/Micro.EndToEnd.Tests/Golden/prediction_keys.txt).
/// </summary>
public static class PredictionJson
{
    public const string Schema = "micro.prediction/1";

    /// <summary>MicroJson's indented convention with every null written: a key the file states is there in every
    /// file, null where there is no value (records mark the few keys that only some objects carry).</summary>
    public static readonly JsonSerializerOptions Options = new(MicroJson.Pretty) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static byte[] Write(PredictionResult r) => JsonSerializer.SerializeToUtf8Bytes(PredictionDocument.From(r), Options);
}
