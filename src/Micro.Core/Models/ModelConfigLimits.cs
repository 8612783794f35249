using Micro.Core.Results;

namespace Micro.Core.Models;

/// <summary>
/// The one validation layer of model configs: every field the speed of light or an attention shape uses is held to its
/// physical range (well beyond any published model), and the fields that must agree with each other are checked
/// together. A bad config is one InputException naming file, field and reason, before anything divides or allocates.
/// </summary>
public static class ModelConfigLimits
{
    public const int MaxLayers = 1_024;
    public const int MaxHidden = 1 << 20;
    public const int MaxHeads = 4_096;
    public const int MaxHeadDim = 4_096;
    public const int MaxIntermediate = 1 << 22;
    public const int MaxVocab = 1 << 24;
    public const int MaxExperts = 65_536;
    public const int MaxLoraRank = 1 << 16;

    /// <summary>Ranges of single fields, checked as each is read: (field, min, max).</summary>
    public static (int Min, int Max)? RangeOf(string field) => field switch
    {
        "num_hidden_layers" => (1, MaxLayers),
        "hidden_size" => (1, MaxHidden),
        "num_attention_heads" or "num_key_value_heads" => (1, MaxHeads),
        "head_dim" or "qk_rope_head_dim" or "qk_nope_head_dim" or "v_head_dim" => (1, MaxHeadDim),
        "intermediate_size" or "moe_intermediate_size" => (0, MaxIntermediate),
        "vocab_size" => (0, MaxVocab),
        "num_local_experts" or "n_routed_experts" or "num_experts" => (0, MaxExperts),
        "num_experts_per_tok" or "experts_per_token" => (0, MaxExperts),
        "n_shared_experts" => (0, MaxExperts),
        "first_k_dense_replace" => (0, MaxLayers),
        "kv_lora_rank" or "q_lora_rank" => (1, MaxLoraRank),
        _ => null,
    };

    /// <summary>The checks across fields, on a config whose single fields are already in range.</summary>
    public static void CheckConsistency(ModelConfig m, string file, bool headDimGiven)
    {
        if (m.NumKeyValueHeads > m.NumAttentionHeads)
            throw new InputException(file, "num_key_value_heads", $"{m.NumKeyValueHeads} is more than num_attention_heads ({m.NumAttentionHeads})");
        if (m.NumAttentionHeads % m.NumKeyValueHeads != 0)
            throw new InputException(file, "num_key_value_heads", $"{m.NumKeyValueHeads} does not divide num_attention_heads ({m.NumAttentionHeads}): each KV head must serve a whole group of query heads");
        if (!headDimGiven && !m.IsMla && m.HiddenSize % m.NumAttentionHeads != 0)
            throw new InputException(file, "hidden_size", $"{m.HiddenSize} is not a multiple of num_attention_heads ({m.NumAttentionHeads}) and there is no head_dim");
        if (m.ExpertsPerToken is { } k && m.NumExperts is { } e && e > 0 && k > e)
            throw new InputException(file, "num_experts_per_tok", $"{k} is more than the {e} experts");
        if (m.FirstKDenseLayers > m.NumLayers)
            throw new InputException(file, "first_k_dense_replace", $"{m.FirstKDenseLayers} is more than num_hidden_layers ({m.NumLayers})");
        if (m.IsMoe && m.ExpertsPerToken == 0)
            throw new InputException(file, "num_experts_per_tok", $"0 experts per token with {m.NumExperts} experts: a token must be routed to at least one");
    }
}
