using Micro.Core.Models;

namespace Micro.Suites.Attention;

/// <summary>The per-layer attention shape of a model (what one attention call sees on one GPU, tensor parallelism 1).</summary>
public sealed record AttentionModel(string Name, int HeadsQ, int HeadsKv, int HeadDim, int? LatentRank, int? RopeDim,
    double MlaSoftmaxScale, int? SlidingWindow)
{
    public bool IsMla => LatentRank is > 0;

    public static AttentionModel From(ModelConfig c)
    {
        int? window = c.LayerWindows.FirstOrDefault(w => w is not null);
        // MLA's softmax scale is over the un-absorbed q.k head dim (nope + rope), as in DeepSeek's modelling code.
        var scale = c.IsMla ? 1.0 / Math.Sqrt(c.QkHeadDim) : 1.0 / Math.Sqrt(c.HeadDim);
        return new AttentionModel(c.Name, c.NumAttentionHeads, c.NumKeyValueHeads, c.HeadDim, c.KvLoraRank, c.QkRopeHeadDim, scale, window);
    }

    public DecodeShape Decode(int batch, int context, KvLayout layout, int blockSize, KvDType kv, int qoBytes) =>
        new(batch, HeadsQ, HeadsKv, HeadDim, context, layout, blockSize, kv, qoBytes);

    public MlaDecodeShape Mla(int batch, int context, KvLayout layout, int blockSize, KvDType kv, int qoBytes) =>
        IsMla ? new(batch, HeadsQ, LatentRank!.Value, RopeDim ?? 0, context, layout, blockSize, kv, qoBytes, MlaSoftmaxScale)
              : throw new InvalidOperationException($"{Name} does not use multi-head latent attention");

    public PrefillShape Prefill(int batch, int seqLen, bool causal, KvDType dtype, int qoBytes) =>
        new(batch, HeadsQ, HeadsKv, HeadDim, seqLen, causal, dtype, qoBytes);
}
