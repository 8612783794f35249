namespace Micro.Core.Models;

/// <summary>
/// The fields of a Hugging Face config.json that Micro uses (attention shape, MoE, MLA, sliding windows).
/// Parameter counting and speed of light live in Micro.EndToEnd; attention shapes in Micro.Suites read this too.
/// </summary>
public sealed record ModelConfig
{
    public required string Name { get; init; }
    /// <summary>The config.json path (or "preset:NAME") it was read from, for messages.</summary>
    public string? Source { get; init; }
    /// <summary>The model it names: a preset's Hugging Face id, or config.json's _name_or_path; null when it names none.</summary>
    public string? ModelId { get; init; }
    public string? ModelType { get; init; }
    public required int NumLayers { get; init; }
    public required int HiddenSize { get; init; }
    public int IntermediateSize { get; init; }
    public required int NumAttentionHeads { get; init; }
    public required int NumKeyValueHeads { get; init; }
    /// <summary>head_dim, or hidden_size / num_attention_heads when absent.</summary>
    public required int HeadDim { get; init; }
    public int VocabSize { get; init; }
    public bool TieWordEmbeddings { get; init; }
    public bool AttentionBias { get; init; }

    // Mixture of experts (null for dense models).
    public int? NumExperts { get; init; }
    public int? ExpertsPerToken { get; init; }
    public int? MoeIntermediateSize { get; init; }
    public int NumSharedExperts { get; init; }
    /// <summary>DeepSeek: the first k layers are dense MLPs.</summary>
    public int FirstKDenseLayers { get; init; }

    // Multi-head latent attention (DeepSeek-V2/V3); null when not MLA.
    public int? KvLoraRank { get; init; }
    public int? QLoraRank { get; init; }
    public int? QkRopeHeadDim { get; init; }
    public int? QkNopeHeadDim { get; init; }
    public int? VHeadDim { get; init; }

    /// <summary>Per-layer sliding window in tokens, null for full attention (from layer_types + sliding_window).</summary>
    public required IReadOnlyList<int?> LayerWindows { get; init; }

    public string? TorchDtype { get; init; }
    public string? QuantMethod { get; init; }
    /// <summary>What the quant method leaves open: modelopt's quant_algo, compressed-tensors' weight type + bits ("float8", "int4").</summary>
    public string? QuantDetail { get; init; }
    /// <summary>Weights that share one scale in a group-quantized checkpoint (compressed-tensors' config_groups weights.group_size,
    /// AWQ's and GPTQ's group_size); -1 is one scale per output channel; null where the config does not say.</summary>
    public int? QuantGroupSize { get; init; }
    /// <summary>quantization_config.modules_to_not_convert (e.g. gpt-oss keeps self_attn, router, embed_tokens, lm_head in bf16).</summary>
    public IReadOnlyList<string> ModulesNotConverted { get; init; } = [];

    public bool IsMoe => NumExperts is > 1;
    public bool IsMla => KvLoraRank is > 0;
    public int GqaGroup => NumAttentionHeads / Math.Max(1, NumKeyValueHeads);

    /// <summary>Query/key head dim used by attention (MLA: nope + rope).</summary>
    public int QkHeadDim => IsMla ? (QkNopeHeadDim ?? 0) + (QkRopeHeadDim ?? 0) : HeadDim;

    /// <summary>KV-cache elements per token per layer: GQA 2*n_kv*d_head; MLA kv_lora_rank + qk_rope_head_dim.</summary>
    public long KvElementsPerTokenPerLayer => IsMla ? KvLoraRank!.Value + (QkRopeHeadDim ?? 0) : 2L * NumKeyValueHeads * HeadDim;

    /// <summary>Tokens of KV a layer holds at a context length (min(context, window) for sliding-window layers).</summary>
    public long KvTokensAt(int layer, long context) => LayerWindows[layer] is { } w ? Math.Min(context, w) : context;

    /// <summary>KV bytes read for one sequence at a context, summed over layers.</summary>
    public double KvBytesAt(long context, double bytesPerElement) =>
        Enumerable.Range(0, NumLayers).Sum(l => (double)KvTokensAt(l, context)) * KvElementsPerTokenPerLayer * bytesPerElement;
}
