using System.Text.Json;
using Micro.Core.Input;
using Micro.Core.Results;
using Micro.EndToEnd.Prediction.Json;

namespace Micro.EndToEnd.Prediction;

/// <summary>One point of a prediction.json read back: its load and every number the writer puts at point level (null where it wrote null).</summary>
public sealed record PredictionFilePoint
{
    public int? Concurrency { get; init; }
    /// <summary>Requests/s of an open loop; null for "inf" (closed loop).</summary>
    public double? RequestRate { get; init; }
    public required IReadOnlyDictionary<string, double?> Values { get; init; }
    public bool? MeetsSlo { get; init; }
}

/// <summary>What `micro compare` needs of a prediction.json: the header fields and the points.</summary>
public sealed record PredictionFile
{
    public required string Path { get; init; }
    public required string Model { get; init; }
    public required string Hardware { get; init; }
    public required string HardwareLabel { get; init; }
    public required string Deployment { get; init; }
    public required int BilledGpus { get; init; }
    public required int Isl { get; init; }
    public required int Osl { get; init; }
    public double? GpuHourPrice { get; init; }
    public required IReadOnlyList<string> Slos { get; init; }
    public required IReadOnlyList<PredictionFilePoint> Points { get; init; }
}

/// <summary>
/// Reads prediction.json (micro.prediction/1, written by PredictionJson) as untrusted input: bounded size, string length and
/// depth (JsonInput), a capped number of points, and every field of the wrong kind one InputException naming file and field.
/// </summary>
public static class PredictionJsonReader
{
    private const string What = "a prediction.json";
    private const int MaxStringChars = 4096;

    /// <summary>The numeric point keys (every point key but the object, the array and the boolean).</summary>
    public static readonly string[] NumberKeys = PredictionJson.PointKeys.Where(k => k is not ("concurrency" or "request_rate" or "meets_slo" or "missed_slos" or "breakdown" or "interval" or "ttft_parts_ms")).ToArray();

    public static PredictionFile Read(string path)
    {
        var bytes = BoundedFile.ReadAllBytes(path, InputLimits.MaxFileBytes);
        var span = JsonInput.Strip(bytes);
        JsonInput.Check(span, path, What);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(bytes.AsMemory(bytes.Length - span.Length), new JsonDocumentOptions { MaxDepth = InputLimits.MaxJsonDepth }); }
        catch (JsonException e) { throw JsonInput.Describe(path, span, e, What); }
        using (doc) return Parse(doc.RootElement, path);
    }

    private static PredictionFile Parse(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new InputException(path, null, $"not {What}: expected a JSON object");
        var schema = root.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        if (schema != PredictionJson.Schema)
            throw new InputException(path, "schema", schema is null ? $"missing; expected '{PredictionJson.Schema}'" : $"unsupported schema '{Clip(schema)}', expected '{PredictionJson.Schema}'");
        if (!root.TryGetProperty("points", out var points) || points.ValueKind != JsonValueKind.Array)
            throw new InputException(path, "points", "required array is missing");
        var max = InputLimits.EffectiveCount(InputLimits.MaxPoints);
        if (points.GetArrayLength() > max) throw new InputException(path, "points", $"{points.GetArrayLength():N0} points is more than the {max:N0} limit");
        var list = new List<PredictionFilePoint>(points.GetArrayLength());
        var i = 0;
        foreach (var p in points.EnumerateArray()) list.Add(Point(p, path, $"points[{i++}]"));
        return new PredictionFile
        {
            Path = path,
            Model = String(root, path, "model"), Hardware = String(root, path, "hardware"), HardwareLabel = String(root, path, "hardware_label"),
            Deployment = String(root, path, "deployment"),
            BilledGpus = Int(root, path, "billed_gpus", "billed_gpus") ?? throw Missing(path, "billed_gpus"),
            Isl = Int(root, path, "isl", "isl") ?? throw Missing(path, "isl"),
            Osl = Int(root, path, "osl", "osl") ?? throw Missing(path, "osl"),
            GpuHourPrice = Number(root, path, "gpu_hour_price", "gpu_hour_price"),
            Slos = root.TryGetProperty("slos", out var slos) && slos.ValueKind == JsonValueKind.Array
                ? slos.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Take(64).Select(x => Clip(x.GetString()!)).ToList() : [],
            Points = list,
        };
    }

    private static PredictionFilePoint Point(JsonElement p, string path, string at)
    {
        if (p.ValueKind != JsonValueKind.Object) throw new InputException(path, at, "expected an object");
        var values = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach (var key in NumberKeys)
        {
            if (!p.TryGetProperty(key, out _)) throw Missing(path, $"{at}.{key}");
            values[key] = Number(p, path, key, $"{at}.{key}");
        }
        var concurrency = Int(p, path, "concurrency", $"{at}.concurrency");
        if (concurrency is < 1) throw new InputException(path, $"{at}.concurrency", $"must be at least 1 ({concurrency})");
        if (!p.TryGetProperty("request_rate", out var r)) throw Missing(path, $"{at}.request_rate");
        if (!RequestRateConverter.TryRead(r, out var rate)) throw new InputException(path, $"{at}.request_rate", RequestRateConverter.Expected);
        if (concurrency is null && rate is null) throw new InputException(path, at, "neither a concurrency nor a request rate");
        bool? meets = p.TryGetProperty("meets_slo", out var m) ? m.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            _ => throw new InputException(path, $"{at}.meets_slo", "expected true, false or null"),
        } : throw Missing(path, $"{at}.meets_slo");
        return new PredictionFilePoint { Concurrency = concurrency, RequestRate = rate, Values = values, MeetsSlo = meets };
    }

    private static InputException Missing(string path, string field) => new(path, field, "required field is missing");

    private static string String(JsonElement o, string path, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? Clip(v.GetString()!)
            : throw new InputException(path, name, o.TryGetProperty(name, out _) ? "expected a string" : "required field is missing");

    private static double? Number(JsonElement o, string path, string name, string field)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d)) throw new InputException(path, field, "expected a number or null");
        return d;
    }

    private static int? Int(JsonElement o, string path, string name, string field)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n) || n < 0) throw new InputException(path, field, "expected a whole number >= 0");
        return n;
    }

    private static string Clip(string s) => s.Length > MaxStringChars ? s[..MaxStringChars] + "..." : s;
}
