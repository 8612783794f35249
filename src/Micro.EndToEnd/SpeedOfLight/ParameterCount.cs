using Micro.Core.Models;

namespace Micro.EndToEnd.SpeedOfLight;

/// <summary>
/// Parameters of a decoder-only model derived from its config.json (not from its advertised size), by group,
/// because groups differ in precision (gpt-oss keeps attention in bf16, experts in mxfp4) and in what decode reads.
/// </summary>
public sealed record ParameterCount
{
    /// <summary>Input embedding table (vocab x hidden); 0 extra when tied to the lm_head.</summary>
    public required double Embedding { get; init; }
    /// <summary>Output projection (vocab x hidden); read in full every decode step, tied or not.</summary>
    public required double LmHead { get; init; }
    public required double Attention { get; init; }
    public required double Router { get; init; }
    /// <summary>Dense MLPs (dense models, DeepSeek's first dense layers) and MoE shared experts: read every step.</summary>
    public required double DenseMlp { get; init; }
    /// <summary>One routed expert of one MoE layer.</summary>
    public required double PerExpert { get; init; }
    public required int MoeLayers { get; init; }
    public required int Experts { get; init; }
    public required int TopK { get; init; }
    public required double Norms { get; init; }
    public required bool Tied { get; init; }

    public double RoutedExperts => PerExpert * Experts * MoeLayers;
    /// <summary>Every parameter stored (tied embeddings counted once).</summary>
    public double Total => (Tied ? 0 : Embedding) + LmHead + Attention + Router + DenseMlp + RoutedExperts + Norms;
    /// <summary>Parameters one token multiplies with (top-k experts, no embedding lookup): the FLOP count is 2x this.</summary>
    public double ActivePerToken => LmHead + Attention + Router + DenseMlp + PerExpert * TopK * MoeLayers + Norms;
}

public static class ParameterCounter
{
    public static ParameterCount Count(ModelConfig m)
    {
        double h = m.HiddenSize, hq = m.NumAttentionHeads, hkv = m.NumKeyValueHeads, d = m.HeadDim;
        double attnPerLayer;
        if (m.IsMla)
        {
            double nope = m.QkNopeHeadDim ?? 0, rope = m.QkRopeHeadDim ?? 0, v = m.VHeadDim ?? d, kvr = m.KvLoraRank!.Value;
            var q = m.QLoraRank is > 0 ? h * m.QLoraRank.Value + m.QLoraRank.Value + m.QLoraRank.Value * hq * (nope + rope) : h * hq * (nope + rope);
            attnPerLayer = q + h * (kvr + rope) + kvr + kvr * hq * (nope + v) + hq * v * h;
        }
        else
        {
            attnPerLayer = h * hq * d + 2 * h * hkv * d + hq * d * h;
            if (m.AttentionBias) attnPerLayer += hq * d + 2 * hkv * d + h;
        }
        var moe = m.IsMoe;
        var experts = moe ? m.NumExperts!.Value : 0;
        var topK = moe ? m.ExpertsPerToken ?? throw new Core.Results.InputException(m.Name, "num_experts_per_tok", "MoE config without experts per token") : 0;
        var moeLayers = moe ? Math.Max(0, m.NumLayers - m.FirstKDenseLayers) : 0;
        var denseLayers = m.NumLayers - moeLayers;
        double expertInter = m.MoeIntermediateSize ?? m.IntermediateSize;
        // Gated MLPs (SwiGLU): gate, up and down projections. gpt-oss also has biases on its experts.
        var perExpert = 3 * h * expertInter + (m.ModelType == "gpt_oss" ? 2 * expertInter + h : 0);
        var denseMlp = denseLayers * 3 * h * m.IntermediateSize + moeLayers * m.NumSharedExperts * 3 * h * expertInter;
        var router = moeLayers * (h * experts + (m.ModelType == "gpt_oss" ? experts : 0));
        double vocab = m.VocabSize;
        return new ParameterCount
        {
            Embedding = vocab * h, LmHead = vocab * h, Attention = m.NumLayers * attnPerLayer, Router = router,
            DenseMlp = denseMlp, PerExpert = moe ? perExpert : 0, MoeLayers = moeLayers, Experts = experts, TopK = topK,
            Norms = m.NumLayers * 2 * h + h, Tied = m.TieWordEmbeddings,
        };
    }
}
