using System.Text.Json;
using System.Text.Json.Serialization;
using Micro.Core.Input;
using Micro.Core.Results;
using Micro.EndToEnd.Prediction.Json;

namespace Micro.EndToEnd.Prediction;

/// <summary>What `micro compare` needs of a prediction.json: the header fields and the points, each point the record the
/// writer writes (PointJson). The other top-level keys are not read, so a micro.prediction/1 file written before a key
/// was added to the schema reads as well as a new one.</summary>
public sealed record PredictionFile
{
    [JsonIgnore]
    public string Path { get; init; } = "";
    public required string Model { get; init; }
    public required string Hardware { get; init; }
    public required string HardwareLabel { get; init; }
    public required string Deployment { get; init; }
    public required int BilledGpus { get; init; }
    public required int Isl { get; init; }
    public required int Osl { get; init; }
    public double? GpuHourPrice { get; init; }
    public IReadOnlyList<string> Slos { get; init; } = [];
    public required IReadOnlyList<PointJson> Points { get; init; }
}

/// <summary>
/// Reads prediction.json (micro.prediction/1, written by PredictionJson) as untrusted input: bounded size, string length and
/// depth (JsonInput), a capped number of points, and every field of the wrong kind one InputException naming file and field.
/// </summary>
public static class PredictionJsonReader
{
    private const string What = "a prediction.json";
    private const int MaxStringChars = 4096;

    public static PredictionFile Read(string path)
    {
        var bytes = BoundedFile.ReadAllBytes(path, InputLimits.MaxFileBytes);
        var span = JsonInput.Strip(bytes);
        JsonInput.Check(span, path, What);
        // The schema, the points' count and their request rates first: a file of another kind is named as such, not as a list of missing fields.
        try
        {
            using var doc = JsonDocument.Parse(bytes.AsMemory(bytes.Length - span.Length), new JsonDocumentOptions { MaxDepth = InputLimits.MaxJsonDepth });
            CheckSchemaAndPoints(doc.RootElement, path);
        }
        catch (JsonException e) { throw JsonInput.Describe(path, span, e, What); }
        var f = JsonInput.Parse<PredictionFile>(span, path, PredictionJson.Options, What);
        for (var i = 0; i < f.Points.Count; i++) CheckLoad(f.Points[i], path, $"points[{i}]");
        foreach (var (name, n) in new[] { ("billed_gpus", f.BilledGpus), ("isl", f.Isl), ("osl", f.Osl) })
            if (n < 0) throw new InputException(path, name, $"expected a whole number >= 0 ({n})");
        return f with
        {
            Path = path, Model = Clip(f.Model), Hardware = Clip(f.Hardware), HardwareLabel = Clip(f.HardwareLabel), Deployment = Clip(f.Deployment),
            Slos = f.Slos.Take(64).Select(Clip).ToList(),
        };
    }

    private static void CheckSchemaAndPoints(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new InputException(path, null, $"not {What}: expected a JSON object");
        var schema = root.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        if (schema != PredictionJson.Schema)
            throw new InputException(path, "schema", schema is null ? $"missing; expected '{PredictionJson.Schema}'" : $"unsupported schema '{Clip(schema)}', expected '{PredictionJson.Schema}'");
        if (!root.TryGetProperty("points", out var points) || points.ValueKind != JsonValueKind.Array)
            throw new InputException(path, "points", "required array is missing");
        var max = InputLimits.EffectiveCount(InputLimits.MaxPoints);
        if (points.GetArrayLength() > max) throw new InputException(path, "points", $"{points.GetArrayLength():N0} points is more than the {max:N0} limit");
        // A request rate in words of its own (the serializer would name only the position of a bad one).
        var i = 0;
        foreach (var p in points.EnumerateArray())
        {
            if (p.ValueKind == JsonValueKind.Object && p.TryGetProperty("request_rate", out var rate) && !RequestRateConverter.TryRead(rate, out _))
                throw new InputException(path, $"points[{i}].request_rate", RequestRateConverter.Expected);
            i++;
        }
    }

    /// <summary>A point is a closed loop of at least one request in flight, an open loop at a rate, both, or a trace replayed.</summary>
    private static void CheckLoad(PointJson p, string path, string at)
    {
        if (p.Concurrency is < 1) throw new InputException(path, $"{at}.concurrency", $"must be at least 1 ({p.Concurrency})");
        if (p.Concurrency is null && p.RequestRate is null && !(p.Trace.IsPresent && !string.IsNullOrEmpty(p.Trace.Value)))
            throw new InputException(path, at, "neither a concurrency, a request rate nor a trace");
    }

    private static string Clip(string s) => s.Length > MaxStringChars ? s[..MaxStringChars] + "..." : s;
}
