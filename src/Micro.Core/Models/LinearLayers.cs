using System.Globalization;
using Micro.Core.Results;

namespace Micro.Core.Models;

/// <summary>How vLLM shards a linear layer over tensor-parallel ranks.</summary>
public enum LinearSharding
{
    /// <summary>ColumnParallelLinear (qkv, gate_up, lm_head's vocab): N divided over the ranks.</summary>
    Column,
    /// <summary>RowParallelLinear (o_proj, down_proj): K divided over the ranks, followed by an all_reduce.</summary>
    Row,
    /// <summary>ReplicatedLinear (the MoE router, MLA's latent down-projection): every rank holds it whole.</summary>
    Replicated,
}

/// <summary>Which weights a layer is: its precision (attention and routers may stay in the base dtype) and how often it runs.</summary>
public enum LinearRole
{
    Attention,
    /// <summary>Dense MLP and MoE shared experts: read every step.</summary>
    Mlp,
    Router,
    /// <summary>Runs on the sampled rows only (one per sequence that emits a token).</summary>
    LmHead,
    /// <summary>One routed expert: runs on the tokens routed to it, in each of the experts a step touches.</summary>
    Expert,
}

/// <summary>
/// One linear layer of a model as one GPU runs it at tensor parallel TP: C[M, N] = X[M, K] W[N, K]^T, in each of Layers
/// decoder layers. N and K are the per-GPU shape (vLLM's sharding already applied), i.e. exactly the GEMM the GPU runs.
/// </summary>
public sealed record LinearLayer(string Name, long N, long K, int Layers, LinearSharding Sharding, LinearRole Role)
{
    public long Parameters => N * K;
}

/// <summary>
/// The one list of a model's linear layers per GPU, used by the gemm suite (what it measures with `--model`) and by the
/// step-time model of predict (what it looks up), so both mean the same shapes. Sharding follows vLLM: QKV, gate_up and
/// lm_head are column-parallel (N / TP; QKV keeps at least one KV head per rank, replicating them when TP exceeds the KV
/// heads; lm_head's vocabulary is padded to a multiple of 64 first), o_proj and down_proj row-parallel (K / TP), the
/// router and MLA's fused latent down-projection replicated. MoE experts (gate_up and down of ONE expert) are sharded
/// like the dense MLP under TP, or whole under expert parallelism. Gated (SwiGLU) MLPs throughout, as ParameterCounter.
/// </summary>
public static class LinearLayers
{
    /// <summary>vLLM's DEFAULT_VOCAB_PADDING_SIZE: the lm_head's vocabulary is padded to a multiple of this before sharding.</summary>
    public const int VocabPadding = 64;

    /// <param name="expertParallel">Experts are distributed whole over the ranks (vLLM --enable-expert-parallel) instead of TP-sharded.</param>
    public static IReadOnlyList<LinearLayer> Of(ModelConfig m, int tp, bool expertParallel = false)
    {
        if (tp < 1) throw new ArgumentOutOfRangeException(nameof(tp), tp, "tensor parallel size must be at least 1");
        var list = new List<LinearLayer>();
        void Add(string name, long n, long k, int layers, LinearSharding s, LinearRole role)
        {
            if (n > 0 && k > 0 && layers > 0) list.Add(new LinearLayer(name, n, k, layers, s, role));
        }
        long h = m.HiddenSize;
        var heads = Shard(m.NumAttentionHeads, tp);
        if (m.IsMla)
        {
            long nope = m.QkNopeHeadDim ?? 0, rope = m.QkRopeHeadDim ?? 0, v = m.VHeadDim ?? m.HeadDim, kvr = m.KvLoraRank!.Value;
            if (m.QLoraRank is > 0 and var ql)
            {
                Add("fused_qkv_a_proj", ql + kvr + rope, h, m.NumLayers, LinearSharding.Replicated, LinearRole.Attention);
                Add("q_b_proj", heads * (nope + rope), ql, m.NumLayers, LinearSharding.Column, LinearRole.Attention);
            }
            else
            {
                Add("q_proj", heads * (nope + rope), h, m.NumLayers, LinearSharding.Column, LinearRole.Attention);
                Add("kv_a_proj_with_mqa", kvr + rope, h, m.NumLayers, LinearSharding.Replicated, LinearRole.Attention);
            }
            Add("kv_b_proj", heads * (nope + v), kvr, m.NumLayers, LinearSharding.Column, LinearRole.Attention);
            Add("o_proj", h, heads * v, m.NumLayers, LinearSharding.Row, LinearRole.Attention);
        }
        else
        {
            var kvHeads = Math.Max(1, Shard(m.NumKeyValueHeads, tp));
            Add("qkv_proj", (heads + 2 * kvHeads) * m.HeadDim, h, m.NumLayers, LinearSharding.Column, LinearRole.Attention);
            Add("o_proj", h, heads * m.HeadDim, m.NumLayers, LinearSharding.Row, LinearRole.Attention);
        }
        var moeLayers = MoeLayers(m);
        Add("gate_up_proj", 2 * Shard(m.IntermediateSize, tp), h, m.NumLayers - moeLayers, LinearSharding.Column, LinearRole.Mlp);
        Add("down_proj", h, Shard(m.IntermediateSize, tp), m.NumLayers - moeLayers, LinearSharding.Row, LinearRole.Mlp);
        if (moeLayers > 0)
        {
            long expertInter = m.MoeIntermediateSize ?? m.IntermediateSize;
            var shared = Shard(expertInter * m.NumSharedExperts, tp);
            Add("shared_experts.gate_up_proj", 2 * shared, h, moeLayers, LinearSharding.Column, LinearRole.Mlp);
            Add("shared_experts.down_proj", h, shared, moeLayers, LinearSharding.Row, LinearRole.Mlp);
            Add("router", m.NumExperts!.Value, h, moeLayers, LinearSharding.Replicated, LinearRole.Router);
            var expert = expertParallel ? expertInter : Shard(expertInter, tp);
            Add("experts.gate_up_proj", 2 * expert, h, moeLayers, LinearSharding.Column, LinearRole.Expert);
            Add("experts.down_proj", h, expert, moeLayers, LinearSharding.Row, LinearRole.Expert);
        }
        var vocab = (m.VocabSize + (long)VocabPadding - 1) / VocabPadding * VocabPadding;
        Add("lm_head", Shard(vocab, tp), h, 1, LinearSharding.Column, LinearRole.LmHead);
        return list;
    }

    /// <summary>Decoder layers whose MLP is a mixture of experts (DeepSeek's first_k_dense_replace layers are dense).</summary>
    public static int MoeLayers(ModelConfig m) => m.IsMoe ? Math.Max(0, m.NumLayers - m.FirstKDenseLayers) : 0;

    /// <summary>Expected distinct experts that <paramref name="tokens"/> routed tokens touch in one MoE layer: E(1-(1-k/E)^M).</summary>
    public static double ActiveExperts(int experts, int topK, int tokens) =>
        experts == 0 ? 0 : experts * (1 - Math.Pow(1 - (double)topK / experts, tokens));

    /// <summary>
    /// The M of one expert's GEMM when a step has <paramref name="tokens"/> tokens: the M*k routed rows spread over the
    /// expected active experts, rounded, at least 1 (one token alone gives each of its k experts one row).
    /// </summary>
    public static int TokensPerExpert(ModelConfig m, int tokens)
    {
        if (!m.IsMoe || tokens <= 0) return tokens;
        var k = m.ExpertsPerToken ?? 1;
        var active = ActiveExperts(m.NumExperts!.Value, k, tokens);
        return (int)Math.Max(1, Math.Round((double)tokens * k / active, MidpointRounding.AwayFromZero));
    }

    /// <summary>The head rules of tensor parallelism: TP divides the attention heads; KV heads divide by TP or TP by them.</summary>
    public static void CheckHeads(ModelConfig m, int tp)
    {
        var inv = CultureInfo.InvariantCulture;
        if (tp < 1) throw new InputException("--tp", tp.ToString(inv), "must be at least 1");
        if (m.NumAttentionHeads % tp != 0)
            throw new InputException("--tp", tp.ToString(inv), $"does not divide the {m.NumAttentionHeads} attention heads of {m.Name}");
        if (!m.IsMla && m.NumKeyValueHeads % tp != 0 && tp % m.NumKeyValueHeads != 0)
            throw new InputException("--tp", tp.ToString(inv), $"neither divides nor is a multiple of the {m.NumKeyValueHeads} KV heads of {m.Name}");
    }

    /// <summary>
    /// What listing the layers for measurement needs beyond the head rules: the fields that size them (a config without
    /// intermediate_size or vocab_size would silently drop its MLP or lm_head) and TP dividing every sharded dimension.
    /// </summary>
    public static void CheckForMeasurement(ModelConfig m, int tp)
    {
        CheckHeads(m, tp);
        var file = m.Source ?? m.Name;
        if (m.VocabSize <= 0) throw new InputException(file, "vocab_size", "required to size the lm_head GEMM: missing or 0");
        var moeLayers = MoeLayers(m);
        if (m.NumLayers > moeLayers && m.IntermediateSize <= 0)
            throw new InputException(file, "intermediate_size", "required to size the MLP GEMMs: missing or 0");
        if (moeLayers > 0 && (m.MoeIntermediateSize ?? m.IntermediateSize) <= 0)
            throw new InputException(file, "moe_intermediate_size", "required to size the expert GEMMs: missing or 0 (and no intermediate_size)");
        var inv = CultureInfo.InvariantCulture;
        void Divides(long size, string field)
        {
            if (size > 0 && size % tp != 0)
                throw new InputException("--tp", tp.ToString(inv), $"does not divide {field} ({size}) of {m.Name}: vLLM cannot shard it");
        }
        if (m.NumLayers > moeLayers) Divides(m.IntermediateSize, "intermediate_size");
        if (moeLayers > 0) Divides(m.MoeIntermediateSize ?? m.IntermediateSize, m.MoeIntermediateSize is null ? "intermediate_size" : "moe_intermediate_size");
    }

    /// <summary>One rank's share of a dimension (rounded up where TP does not divide it).</summary>
    private static long Shard(long size, int tp) => (size + tp - 1) / tp;
}
