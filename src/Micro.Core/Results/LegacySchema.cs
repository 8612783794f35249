using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Micro.Core.Results;

/// <summary>
/// The one place that reads version-1 files (micro.result/1, micro.ceilings/1, micro.analysis/1) as version 2:
/// the keys .NET's snake_case mangled (d_type, clock_m_hz, bandwidth_g_bps, cost_per1_m_...) get their /2 names,
/// latency_ms (and latency_provenance) keys get their unit (mean_ttft -> mean_ttft_ms), attention case ids become the CLI kind names
/// (/1 wrote prefill-causal for the causal case and prefill for the non-causal one) and ILGPU's backend is "ilgpu"
/// with the accelerator as a parameter, as the memory suite writes it.
/// </summary>
public static partial class LegacySchema
{
    public const string ResultV1 = "micro.result/1", CeilingsV1 = "micro.ceilings/1", AnalysisV1 = "micro.analysis/1";
    public const string ResultV2 = "micro.result/2", CeilingsV2 = "micro.ceilings/2", AnalysisV2 = "micro.analysis/2";

    /// <summary>Objects whose keys are data (case parameters, library names, environment variables), never renamed.</summary>
    private static readonly HashSet<string> DataKeyed = ["parameters", "libraries", "environment"];

    /// <summary>True when the text holds a version-1 schema tag (cheap test before parsing a results line twice).</summary>
    public static bool MentionsV1(string text) =>
        text.Contains(ResultV1, StringComparison.Ordinal) || text.Contains(CeilingsV1, StringComparison.Ordinal) || text.Contains(AnalysisV1, StringComparison.Ordinal);

    /// <summary>Deserializes UTF-8 JSON as T, upgrading a version-1 document first.</summary>
    public static T? Deserialize<T>(ReadOnlySpan<byte> utf8, JsonSerializerOptions options)
    {
        if (utf8.IndexOf("\"micro.result/1\""u8) < 0 && utf8.IndexOf("\"micro.ceilings/1\""u8) < 0 && utf8.IndexOf("\"micro.analysis/1\""u8) < 0)
            return JsonSerializer.Deserialize<T>(utf8, options);
        var node = JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = options.MaxDepth });
        if (node is not JsonObject o) return node.Deserialize<T>(options);
        // A malformed /1 file: the error (field, position) is reported against the bytes as written.
        try { return Upgrade(o).Deserialize<T>(options); }
        catch (JsonException) { return JsonSerializer.Deserialize<T>(utf8, options); }
    }

    /// <summary>Deserializes JSON text as T, upgrading a version-1 document first.</summary>
    public static T? Deserialize<T>(string json, JsonSerializerOptions options)
    {
        if (!MentionsV1(json)) return JsonSerializer.Deserialize<T>(json, options);
        var node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = options.MaxDepth });
        return node is JsonObject o ? Upgrade(o).Deserialize<T>(options) : node.Deserialize<T>(options);
    }

    /// <summary>Rewrites a version-1 document in place as version 2; a document of any other schema is returned unchanged.</summary>
    public static JsonObject Upgrade(JsonObject root)
    {
        var schema = root["schema"]?.GetValueKind() == JsonValueKind.String ? root["schema"]!.GetValue<string>() : null;
        var next = schema switch { ResultV1 => ResultV2, CeilingsV1 => CeilingsV2, AnalysisV1 => AnalysisV2, _ => null };
        if (next is null) return root;
        RenameKeys(root);
        root["schema"] = next;
        if (schema == ResultV1) UpgradeRecord(root);
        if (schema == CeilingsV1)
            foreach (var device in Objects(root["devices"]))
            {
                foreach (var c in Objects(device["ceilings"])) UpgradeCeiling(c);
                foreach (var a in Objects(device["attention"])) UpgradeAttentionPoint(a);
            }
        return root;
    }

    /// <summary>The /2 name of a /1 key: exactly the four manglings of the acronym-blind snake_case policy.</summary>
    public static string KeyName(string v1) =>
        v1.Replace("_m_hz", "_mhz", StringComparison.Ordinal).Replace("_g_bps", "_gbps", StringComparison.Ordinal)
          .Replace("per1_m_", "per_1m_", StringComparison.Ordinal).Replace("d_type", "dtype", StringComparison.Ordinal);

    /// <summary>The /2 attention case id of a /1 one.</summary>
    public static string AttentionCase(string v1) => v1 switch
    {
        "prefill-causal" => "prefill",
        "prefill" => "prefill-noncausal",
        _ when PagedDecode().IsMatch(v1) => "decode-paged",
        _ when MlaDecode().IsMatch(v1) => "mla",
        _ => v1,
    };

    /// <summary>/1 attention wrote ilgpu-cuda / ilgpu-cpu; /2 writes ilgpu and the accelerator (Cuda, CPU) as a parameter.</summary>
    public static (string Backend, string? Accelerator) AttentionBackend(string v1) => v1 switch
    {
        "ilgpu-cuda" => ("ilgpu", "Cuda"),
        "ilgpu-cpu" => ("ilgpu", "CPU"),
        _ => (v1, null),
    };

    private static void RenameKeys(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    var name = KeyName(key);
                    if (name != key)
                    {
                        o.Remove(key);
                        o[name] = value;
                    }
                    if (name is "latency_ms" or "latency_provenance" && value is JsonObject latency) AddUnit(latency);
                    else if (!DataKeyed.Contains(name)) RenameKeys(value);
                }
                break;
            case JsonArray a:
                foreach (var item in a) RenameKeys(item);
                break;
        }
    }

    private static void AddUnit(JsonObject latency)
    {
        foreach (var (key, value) in latency.ToList())
        {
            if (key.EndsWith("_ms", StringComparison.Ordinal)) continue;
            latency.Remove(key);
            latency[key + "_ms"] = value;
        }
    }

    private static void UpgradeRecord(JsonObject r)
    {
        if (Text(r, "suite") != "attention") return;
        if (Text(r, "case") is { } c) r["case"] = AttentionCase(c);
        var parameters = r["parameters"] as JsonObject;
        if (parameters is not null && Text(parameters, "kind") is { } k) parameters["kind"] = AttentionCase(k);
        if (Text(r, "backend") is { } b)
        {
            var (backend, accelerator) = AttentionBackend(b);
            r["backend"] = backend;
            if (accelerator is not null && parameters is not null) parameters["accelerator"] = accelerator;
        }
    }

    private static void UpgradeCeiling(JsonObject c)
    {
        if (Text(c, "suite") != "attention") return;
        if (Text(c, "case") is { } id) c["case"] = AttentionCase(id);
        if (Text(c, "backend") is { } b) c["backend"] = AttentionBackend(b).Backend;
        if (Text(c, "parameters") is { } p) c["parameters"] = KindParameter().Replace(p, m => "kind=" + AttentionCase(m.Groups[1].Value));
    }

    private static void UpgradeAttentionPoint(JsonObject a)
    {
        if (Text(a, "kind") is { } k) a["kind"] = AttentionCase(k);
        if (Text(a, "backend") is { } b) a["backend"] = AttentionBackend(b).Backend;
    }

    private static IEnumerable<JsonObject> Objects(JsonNode? array) => array is JsonArray a ? a.OfType<JsonObject>() : [];

    private static string? Text(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    [GeneratedRegex("^decode-paged[0-9]+$")]
    private static partial Regex PagedDecode();

    [GeneratedRegex("^mla-decode-paged[0-9]+$")]
    private static partial Regex MlaDecode();

    [GeneratedRegex("(?<=^|;)kind=([^;]*)")]
    private static partial Regex KindParameter();
}
