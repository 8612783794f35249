namespace Micro.Suites.Attention;

public enum KvLayout { Contiguous, Paged }

/// <summary>
/// Decode attention: one query token per sequence, every sequence at the same context.
/// Layouts: Q [B, Hq, D], K/V [rows, Hkv, D] with rows = blocks x BlockSize (paged, vLLM/FlashInfer NHD order)
/// or B x Context (contiguous), O [B, Hq, D].
/// </summary>
public sealed record DecodeShape(int Batch, int HeadsQ, int HeadsKv, int HeadDim, int Context,
    KvLayout Layout, int BlockSize, KvDType KvType, int QoElementBytes)
{
    public int Group => HeadsQ / HeadsKv;
    public int BlocksPerSequence => Layout == KvLayout.Paged ? (Context + BlockSize - 1) / BlockSize : 1;
    public int EffectiveBlockSize => Layout == KvLayout.Paged ? BlockSize : Context;
    public long KvRows => (long)Batch * BlocksPerSequence * EffectiveBlockSize;
    public long KvElements => KvRows * HeadsKv * HeadDim;

    public void Validate()
    {
        Require(Batch > 0 && HeadsQ > 0 && HeadsKv > 0 && HeadDim > 0 && Context > 0, "batch, heads, head dim and context must be positive");
        Require(HeadsQ % HeadsKv == 0, $"query heads ({HeadsQ}) must be a multiple of KV heads ({HeadsKv})");
        Require(Layout == KvLayout.Contiguous || BlockSize > 0, "paged KV needs a positive block size");
        Require(QoElementBytes is 2 or 4, "Q/O element size must be 2 or 4 bytes");
    }

    internal static void Require(bool ok, string why)
    {
        if (!ok) throw new ArgumentException(why);
    }
}

/// <summary>
/// MLA decode (DeepSeek-V2/V3) with queries absorbed into the latent space: one latent KV head shared by all heads,
/// cache rows of LatentRank + RopeDim; score = q_latent . c_kv + q_rope . k_rope; output in the latent space (LatentRank).
/// </summary>
public sealed record MlaDecodeShape(int Batch, int Heads, int LatentRank, int RopeDim, int Context,
    KvLayout Layout, int BlockSize, KvDType KvType, int QoElementBytes, double SoftmaxScale)
{
    public int RowWidth => LatentRank + RopeDim;
    public int BlocksPerSequence => Layout == KvLayout.Paged ? (Context + BlockSize - 1) / BlockSize : 1;
    public int EffectiveBlockSize => Layout == KvLayout.Paged ? BlockSize : Context;
    public long CacheRows => (long)Batch * BlocksPerSequence * EffectiveBlockSize;
    public long CacheElements => CacheRows * RowWidth;

    public void Validate()
    {
        DecodeShape.Require(Batch > 0 && Heads > 0 && LatentRank > 0 && RopeDim >= 0 && Context > 0, "batch, heads, latent rank and context must be positive");
        DecodeShape.Require(Layout == KvLayout.Contiguous || BlockSize > 0, "paged KV needs a positive block size");
        DecodeShape.Require(SoftmaxScale > 0, "softmax scale must be positive");
    }
}

/// <summary>Prefill attention, Lq = Lk = SeqLen. Q/O [B, L, Hq, D], K/V [B, L, Hkv, D].</summary>
public sealed record PrefillShape(int Batch, int HeadsQ, int HeadsKv, int HeadDim, int SeqLen, bool Causal,
    KvDType DType, int QoElementBytes)
{
    public int Group => HeadsQ / HeadsKv;

    public void Validate()
    {
        DecodeShape.Require(Batch > 0 && HeadsQ > 0 && HeadsKv > 0 && HeadDim > 0 && SeqLen > 0, "batch, heads, head dim and length must be positive");
        DecodeShape.Require(HeadsQ % HeadsKv == 0, $"query heads ({HeadsQ}) must be a multiple of KV heads ({HeadsKv})");
    }
}
