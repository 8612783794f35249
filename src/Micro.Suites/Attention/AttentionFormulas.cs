namespace Micro.Suites.Attention;

/// <summary>
/// What one attention call counts.
/// Bytes (FlashInfer's accounting): Q + K + V + O each read or written once; paged layouts add the block table
/// (4-byte entries). Split-K partial outputs and the combine step's traffic are NOT counted: they are overhead of
/// the method, not work of the problem.
/// FLOPs (FlashAttention-3's formula, causal term in FlashInfer's form):
///   non-causal 2 * b * Hq * Lq * Lk * (d_qk + d_v);
///   causal     b * Hq * Lq * (2 * Lk - Lq) * (d_qk + d_v)   (= half the non-causal count when Lq = Lk).
/// Decode is Lq = 1 over the whole context (causal and non-causal agree to within the 1-token diagonal; we use the
/// non-causal form). MLA: d_qk = kv_lora_rank + rope dims, d_v = kv_lora_rank, one shared latent row per token.
/// </summary>
public static class AttentionFormulas
{
    public const string DecodeBytesCounted = "Q + K + V + O once (+ block table when paged); split-K partials not counted";
    public const string MlaBytesCounted = "Q(latent+rope) + latent cache rows once + O(latent) (+ block table when paged); split-K partials not counted";
    public const string PrefillBytesCounted = "Q + K + V + O once";

    public static double AttentionFlops(long batch, long headsQ, long lq, long lk, long dQk, long dV, bool causal) =>
        causal
            ? (double)batch * headsQ * lq * (2 * lk - lq) * (dQk + dV)
            : 2.0 * batch * headsQ * lq * lk * (dQk + dV);

    public static long BlockTableBytes(KvLayout layout, long batch, long blocksPerSequence) =>
        layout == KvLayout.Paged ? batch * blocksPerSequence * sizeof(int) : 0;

    public static long DecodeBytes(DecodeShape s)
    {
        long qo = (long)s.Batch * s.HeadsQ * s.HeadDim * s.QoElementBytes;
        long kv = (long)s.Batch * s.Context * s.HeadsKv * s.HeadDim * KvDTypes.Size(s.KvType);
        return qo + kv + kv + qo + BlockTableBytes(s.Layout, s.Batch, s.BlocksPerSequence);
    }

    public static double DecodeFlops(DecodeShape s) =>
        AttentionFlops(s.Batch, s.HeadsQ, 1, s.Context, s.HeadDim, s.HeadDim, causal: false);

    public static long MlaBytes(MlaDecodeShape s)
    {
        long q = (long)s.Batch * s.Heads * s.RowWidth * s.QoElementBytes;
        long cache = (long)s.Batch * s.Context * s.RowWidth * KvDTypes.Size(s.KvType);
        long o = (long)s.Batch * s.Heads * s.LatentRank * s.QoElementBytes;
        return q + cache + o + BlockTableBytes(s.Layout, s.Batch, s.BlocksPerSequence);
    }

    public static double MlaFlops(MlaDecodeShape s) =>
        AttentionFlops(s.Batch, s.Heads, 1, s.Context, s.RowWidth, s.LatentRank, causal: false);

    public static long PrefillBytes(PrefillShape s)
    {
        long q = (long)s.Batch * s.SeqLen * s.HeadsQ * s.HeadDim * s.QoElementBytes;
        long kv = (long)s.Batch * s.SeqLen * s.HeadsKv * s.HeadDim * KvDTypes.Size(s.DType);
        return q + kv + kv + q;
    }

    public static double PrefillFlops(PrefillShape s) =>
        AttentionFlops(s.Batch, s.HeadsQ, s.SeqLen, s.SeqLen, s.HeadDim, s.HeadDim, s.Causal);
}
