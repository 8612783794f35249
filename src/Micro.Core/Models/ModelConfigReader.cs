using System.Text.Json;
using Micro.Core.Input;
using Micro.Core.Results;

namespace Micro.Core.Models;

/// <summary>Reads a Hugging Face config.json (untrusted): missing required fields fail with file, field and reason.</summary>
public static class ModelConfigReader
{
    private const int MaxModelIdChars = 512;

    public static ModelConfig Read(string path)
    {
        var bytes = BoundedFile.ReadAllBytes(path, InputLimits.MaxModelConfigBytes);
        var span = JsonInput.Strip(bytes);
        JsonInput.Check(span, path, "a model config.json");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(bytes.AsMemory(bytes.Length - span.Length), new JsonDocumentOptions { MaxDepth = InputLimits.MaxJsonDepth }); }
        catch (JsonException e) { throw JsonInput.Describe(path, span, e, "a model config.json"); }
        using (doc) return Parse(doc.RootElement, path, Path.GetFileNameWithoutExtension(path));
    }

    public static ModelConfig Parse(JsonElement root, string file, string name)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new InputException(file, null, "config must be a JSON object");
        // Some multimodal configs nest the language model under text_config; their quantization_config and model id
        // usually stay at the top (nvidia's NVFP4 Kimi-K2.5, Gemma-4, Qwen3.5 checkpoints), so those are read there
        // where the language model's part has none.
        var outer = root;
        var nested = root.TryGetProperty("text_config", out var text) && text.ValueKind == JsonValueKind.Object && !root.TryGetProperty("num_hidden_layers", out _);
        if (nested) root = text;
        var r = new FieldReader(root, file);
        var layers = r.RequiredInt("num_hidden_layers");
        var hidden = r.RequiredInt("hidden_size");
        var heads = r.RequiredInt("num_attention_heads");
        var kvHeads = r.OptionalInt("num_key_value_heads") ?? heads;
        var givenHeadDim = r.OptionalInt("head_dim");
        var headDim = givenHeadDim ?? hidden / heads;
        var window = r.OptionalInt("sliding_window");
        var windows = LayerWindows(root, file, layers, window, r.OptionalBool("use_sliding_window"));
        string? quant = null, quantDetail = null;
        int? groupSize = null;
        var notConverted = new List<string>();
        if ((root.TryGetProperty("quantization_config", out var q) || outer.TryGetProperty("quantization_config", out q)) && q.ValueKind == JsonValueKind.Object)
        {
            if (q.TryGetProperty("quant_method", out var qm) && qm.ValueKind == JsonValueKind.String) quant = qm.GetString();
            quantDetail = QuantDetail(q);
            groupSize = GroupSize(q);
            // The modules kept in the base dtype: transformers' modules_to_not_convert, compressed-tensors' and modelopt's
            // ignore, modelopt's exclude_modules (hf_quant_config.json's name).
            foreach (var key in NotConvertedKeys)
                if (q.TryGetProperty(key, out var nc) && nc.ValueKind == JsonValueKind.Array)
                    notConverted.AddRange(nc.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).Take(1024 - notConverted.Count));
        }
        var outerId = nested ? new FieldReader(outer, file).OptionalString("_name_or_path") : null;
        var config = new ModelConfig
        {
            Name = name, Source = file,
            ModelId = new[] { r.OptionalString("_name_or_path"), r.OptionalString("name_or_path"), outerId }.FirstOrDefault(x => x is { Length: > 0 and <= MaxModelIdChars }),
            ModelType = r.OptionalString("model_type"),
            NumLayers = layers, HiddenSize = hidden, IntermediateSize = r.OptionalInt("intermediate_size") ?? 0,
            NumAttentionHeads = heads, NumKeyValueHeads = kvHeads, HeadDim = headDim,
            VocabSize = r.OptionalInt("vocab_size") ?? 0,
            TieWordEmbeddings = r.OptionalBool("tie_word_embeddings") ?? false,
            AttentionBias = r.OptionalBool("attention_bias") ?? false,
            NumExperts = r.OptionalInt("num_local_experts") ?? r.OptionalInt("n_routed_experts") ?? r.OptionalInt("num_experts"),
            ExpertsPerToken = r.OptionalInt("num_experts_per_tok") ?? r.OptionalInt("experts_per_token"),
            MoeIntermediateSize = r.OptionalInt("moe_intermediate_size"),
            NumSharedExperts = r.OptionalInt("n_shared_experts") ?? 0,
            FirstKDenseLayers = r.OptionalInt("first_k_dense_replace") ?? 0,
            KvLoraRank = r.OptionalInt("kv_lora_rank"), QLoraRank = r.OptionalInt("q_lora_rank"),
            QkRopeHeadDim = r.OptionalInt("qk_rope_head_dim"), QkNopeHeadDim = r.OptionalInt("qk_nope_head_dim"),
            VHeadDim = r.OptionalInt("v_head_dim"),
            LayerWindows = windows,
            TorchDtype = r.OptionalString("torch_dtype") ?? r.OptionalString("dtype"),
            QuantMethod = quant, QuantDetail = quantDetail, QuantGroupSize = groupSize,
            ModulesNotConverted = notConverted,
        };
        ModelConfigLimits.CheckConsistency(config, file, givenHeadDim is not null);
        return config;
    }

    private static readonly string[] NotConvertedKeys = ["modules_to_not_convert", "ignore", "exclude_modules"];

    /// <summary>modelopt's quant_algo ("FP8", "NVFP4"), or compressed-tensors' first weight scheme as type + bits ("float8", "int4").</summary>
    private static string? QuantDetail(JsonElement q)
    {
        if (q.TryGetProperty("quant_algo", out var algo) && algo.ValueKind == JsonValueKind.String) return algo.GetString();
        if (q.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String && format.GetString()!.Contains("nvfp4", StringComparison.OrdinalIgnoreCase))
            return "nvfp4";
        if (!q.TryGetProperty("config_groups", out var groups) || groups.ValueKind != JsonValueKind.Object) return null;
        foreach (var g in groups.EnumerateObject())
            if (g.Value.ValueKind == JsonValueKind.Object && g.Value.TryGetProperty("weights", out var w) && w.ValueKind == JsonValueKind.Object
                && w.TryGetProperty("num_bits", out var bits) && bits.ValueKind == JsonValueKind.Number && bits.TryGetInt32(out var b))
                return (w.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "int") + b;
        return null;
    }

    /// <summary>The weights' group size: AWQ's and GPTQ's top-level group_size (q_group_size in some AWQ exports), else
    /// compressed-tensors' first config group's weights.group_size; -1 (per channel) kept; anything else not a positive int is ignored.</summary>
    private static int? GroupSize(JsonElement q)
    {
        static int? Read(JsonElement o, string key) =>
            o.TryGetProperty(key, out var g) && g.ValueKind == JsonValueKind.Number && g.TryGetInt32(out var v) && (v > 0 || v == -1) ? v : null;
        if ((Read(q, "group_size") ?? Read(q, "q_group_size")) is { } top) return top;
        if (!q.TryGetProperty("config_groups", out var groups) || groups.ValueKind != JsonValueKind.Object) return null;
        foreach (var g in groups.EnumerateObject())
            if (g.Value.ValueKind == JsonValueKind.Object && g.Value.TryGetProperty("weights", out var w) && w.ValueKind == JsonValueKind.Object)
                return Read(w, "group_size");
        return null;
    }

    private static IReadOnlyList<int?> LayerWindows(JsonElement root, string file, int layers, int? window, bool? useSliding)
    {
        var result = new int?[layers];
        if (root.TryGetProperty("layer_types", out var types) && types.ValueKind == JsonValueKind.Array)
        {
            if (types.GetArrayLength() != layers)
                throw new InputException(file, "layer_types", $"has {types.GetArrayLength()} entries for {layers} layers");
            var i = 0;
            foreach (var t in types.EnumerateArray())
            {
                var s = t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                if (s == "sliding_attention")
                {
                    if (window is not > 0) throw new InputException(file, "sliding_window", "layer_types names sliding_attention layers but sliding_window is missing or not positive");
                    result[i] = window;
                }
                i++;
            }
        }
        else if (window is > 0 && useSliding != false)
        {
            // Qwen2-style: only layers at or past max_window_layers use the window (transformers' Qwen2 layer_types rule).
            var first = 0;
            if (root.TryGetProperty("max_window_layers", out var mwl) && mwl.ValueKind == JsonValueKind.Number)
            {
                if (!mwl.TryGetInt32(out first) || first < 0)
                    throw new InputException(file, "max_window_layers", "must be a whole number >= 0");
            }
            for (var i = Math.Min(first, layers); i < layers; i++) result[i] = window;
        }
        return result;
    }

    private readonly struct FieldReader(JsonElement root, string file)
    {
        public int RequiredInt(string name) =>
            OptionalInt(name) ?? throw new InputException(file, name, "required field is missing");

        public int? OptionalInt(string name)
        {
            if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
                throw new InputException(file, name, $"expected an integer, found {Describe(v)}");
            if (i < 0) throw new InputException(file, name, $"must not be negative ({i})");
            if (ModelConfigLimits.RangeOf(name) is { } range && (i < range.Min || i > range.Max))
                throw new InputException(file, name, $"{i} is outside the physical range {range.Min}..{range.Max:N0}");
            return i;
        }

        public bool? OptionalBool(string name)
        {
            if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            return v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new InputException(file, name, $"expected true or false, found {Describe(v)}"),
            };
        }

        public string? OptionalString(string name) =>
            root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static string Describe(JsonElement v) => v.ValueKind switch
        {
            JsonValueKind.String => $"the string \"{Truncate(v.GetString() ?? "")}\"",
            JsonValueKind.Number => $"the number {v.GetRawText()}",
            _ => v.ValueKind.ToString().ToLowerInvariant(),
        };

        private static string Truncate(string s) => s.Length > 40 ? s[..40] + "..." : s;
    }
}
