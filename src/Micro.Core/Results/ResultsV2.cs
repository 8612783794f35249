using System.Globalization;
using Micro.Core.Results.Points;

namespace Micro.Core.Results;

/// <summary>
/// The one place that reads a micro.result/2 record's point parameters (text) as the typed point of /3: each suite's
/// keys become its typed record and leave Parameters; what does not parse stays text and the record has no point
/// (readers then skip it, as they skipped an unparsable parameter before). v1 lines reach here through LegacySchema.
/// </summary>
public static class ResultsV2
{
    public static MeasurementRecord Upgrade(MeasurementRecord r)
    {
        if (r.Schema != LegacySchema.ResultV2) return r;
        // A hostile line may null what the type says is set: ReportInput and the readers name those fields.
        var text = r.Parameters is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(r.Parameters, StringComparer.Ordinal);
        var id = r.Case ?? "";
        var p = new Text(text);
        var upgraded = r.Suite switch
        {
            "gemm" => Gemm(r, p) is { } g ? r with { Gemm = g } : r,
            "attention" => Attention(p) is { } a ? r with { Attention = a } : r,
            "collectives" => Collective(id, p) is { } c ? r with { Collective = c } : r,
            "launch" when id.StartsWith("small_copy_", StringComparison.Ordinal) => Copy(p, "copy-engine") is { } c ? r with { Copy = c } : r,
            "launch" => Launch(id, p) is { } l ? r with { Launch = l } : r,
            "link" => Copy(p, null) is { } c ? r with { Copy = c } : r,
            "memory" => Stream(id, p) is { } s ? r with { Stream = s } : r,
            _ => r,
        };
        // Keys are dropped only when the point they belong to was read.
        var rest = upgraded.PointCount == 0 ? r.Parameters : p.Remaining();
        return upgraded with { Schema = MeasurementRecord.CurrentSchema, Parameters = rest! };
    }

    private static GemmParameters? Gemm(MeasurementRecord r, Text p)
    {
        if (PointNames.Parse<GemmDtype>(r.DType) is not { } dtype || p.Long("m") is not { } m || p.Long("n") is not { } n || p.Long("k") is not { } k) return null;
        return new GemmParameters
        {
            Shape = p.Take("shape") ?? "", M = m, N = n, K = k, Dtype = dtype,
            Model = p.Take("model"), Layer = p.Take("layer"), Tp = p.Int("tp"), Tokens = p.Int("tokens"),
        };
    }

    private static AttentionParameters? Attention(Text p)
    {
        if (PointNames.Parse<AttentionKind>(p.Peek("kind")) is not { } kind || p.Peek("model") is null || p.Peek("batch") is null || p.Peek("heads_q") is null || p.Peek("qo_bytes") is null) return null;
        var decode = kind is AttentionKind.Decode or AttentionKind.DecodePaged or AttentionKind.Mla;
        if (decode ? p.Peek("context") is null : p.Peek("seq_len") is null) return null;
        p.Take("kind");
        // Implied by the kind.
        p.Take("layout");
        p.Take("causal");
        return new AttentionParameters
        {
            Kind = kind, Model = p.Take("model")!, Batch = p.Int("batch") ?? 0, Context = p.Int("context"), SeqLen = p.Int("seq_len"),
            HeadsQ = p.Int("heads_q") ?? 0, HeadsKv = p.Int("heads_kv"), HeadDim = p.Int("head_dim"), KvLoraRank = p.Int("kv_lora_rank"),
            RopeDim = p.Int("rope_dim"), BlockSize = p.Int("block_size"), QoBytes = p.Int("qo_bytes") ?? 0, KvBytes = p.Long("kv_bytes"),
        };
    }

    private static CollectiveParameters? Collective(string op, Text p)
    {
        if (p.Long("size") is not { } size) return null;
        // Non-rooted ops were written root=-1.
        var root = int.TryParse(p.Take("root"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var x) ? x : -1;
        return new CollectiveParameters
        {
            Op = op, SizeBytes = size, Count = p.Long("count"), Nranks = p.Int("nranks"), InPlace = p.Take("in_place") == "1",
            Redop = p.Take("redop"), Root = root >= 0 ? root : null,
        };
    }

    private static LaunchParameters? Launch(string id, Text p)
    {
        LaunchKind? kind = id.EndsWith("_graph_replay", StringComparison.Ordinal) ? LaunchKind.GraphReplay
            : id.EndsWith("_sync_roundtrip", StringComparison.Ordinal) ? LaunchKind.SyncRoundTrip
            : id.EndsWith("_stream", StringComparison.Ordinal) ? LaunchKind.Stream : null;
        if (kind is null || p.Peek("kernel") is null || p.Peek("launches_per_sample") is null) return null;
        return new LaunchParameters { Kind = kind.Value, Kernel = p.Take("kernel")!, LaunchesPerSample = p.Int("launches_per_sample") ?? 0 };
    }

    private static CopyParameters? Copy(Text p, string? engine)
    {
        var direction = PointNames.Parse<CopyDirection>(p.Peek("direction"));
        if (direction is null || p.Peek("memory") is null || (engine ?? p.Peek("engine")) is null || p.Peek("size_bytes") is null) return null;
        p.Take("direction");
        return new CopyParameters { Direction = direction.Value, Memory = p.Take("memory")!, Engine = engine ?? p.Take("engine")!, SizeBytes = p.Long("size_bytes") ?? 0 };
    }

    private static StreamParameters? Stream(string id, Text p)
    {
        if (p.Peek("elements") is null) return null;
        return new StreamParameters
        {
            // Older lines may lack the label; the case id names the same kernel.
            Kernel = p.Take("kernel") ?? id, Elements = p.Long("elements") ?? 0, ArrayBytes = p.Long("array_bytes"),
            WorkingSetBytes = p.Long("working_set_bytes"),
            PastLlc = p.Take("past_llc") switch { "true" => true, "false" => false, _ => null }, LlcBytes = p.Long("llc_bytes"),
        };
    }

    /// <summary>The text parameters, each key taken at most once; what is left stays text.</summary>
    private sealed class Text(Dictionary<string, string> values)
    {
        public string? Peek(string key) => values.TryGetValue(key, out var v) ? v : null;

        public string? Take(string key) => values.Remove(key, out var v) ? v : null;

        public long? Long(string key) =>
            Peek(key) is { } v && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x) && x >= 0 && values.Remove(key) ? x : null;

        public int? Int(string key) => Long(key) is { } x && x <= int.MaxValue ? (int)x : null;

        public IReadOnlyDictionary<string, string> Remaining() => values;
    }
}
