using Micro.Core.Models;

namespace Micro.EndToEnd.SpeedOfLight;

/// <summary>Which weights a decode step is charged for reading.</summary>
public enum ParameterCountMode
{
    /// <summary>Every parameter, the whole embedding table included: the simple form most calculators use.</summary>
    AllParameters,
    /// <summary>What decode reads: every linear layer and the lm_head, but only B rows of the embedding table.</summary>
    DecodeReads,
}

/// <summary>One decode step at batch B and a context, per GPU of one tensor-parallel replica.</summary>
public sealed record DecodeStep(int Batch, double Context, double WeightBytesPerGpu, double KvBytesPerGpu,
    double MemorySeconds, double ComputeSeconds)
{
    public double StepSeconds => Math.Max(MemorySeconds, ComputeSeconds);
    public double AggregateTokensPerSecond => Batch / StepSeconds;
    public double PerUserTokensPerSecond => 1 / StepSeconds;
    public string Bound => MemorySeconds >= ComputeSeconds ? "memory" : "compute";
}

/// <summary>
/// Speed of light of a model on a GPU (docs/formulas.md): decode
/// t_step &gt;= max((W_active + sum KV) / BW, 2 * P_active * B / FLOPS) per GPU, MoE experts read
/// E * (1 - (1 - k/E)^B) per layer, sliding-window layers hold min(ctx, window); prefill 2 * (P_active - lm_head) * tokens
/// + 2 * lm_head + causal attention FLOPs, over the GEMM rate. Tensor parallelism divides weights, KV and FLOPs per GPU.
/// </summary>
public sealed class SolModel(ModelConfig model, WeightFormat weights, HardwareProfile hw, int tp, double kvBytesPerElement, ParameterCountMode mode)
{
    public ModelConfig Model { get; } = model;
    public ParameterCount Parameters { get; } = ParameterCounter.Count(model);
    public WeightFormat Weights { get; } = weights;
    public HardwareProfile Hardware { get; } = hw;
    public int TensorParallel { get; } = tp;
    public double KvBytesPerElement { get; } = kvBytesPerElement;
    public ParameterCountMode Mode { get; } = mode;

    /// <summary>The same model and hardware on a replica of another tensor-parallel size (the other pool of a disaggregated run).</summary>
    public SolModel WithTensorParallel(int tp) => tp == TensorParallel ? this : new SolModel(Model, Weights, Hardware, tp, KvBytesPerElement, Mode);

    /// <summary>Expected distinct experts a batch of B tokens touches per MoE layer: E * (1 - (1 - k/E)^B).</summary>
    public double ActiveExperts(int batch)
    {
        var p = Parameters;
        if (p.Experts == 0) return 0;
        return p.Experts * (1 - Math.Pow(1 - (double)p.TopK / p.Experts, batch));
    }

    /// <summary>Weight bytes one decode step reads across the replica (before dividing by TP).</summary>
    public double WeightBytes(int batch)
    {
        var p = Parameters;
        var w = Weights;
        var embedding = Mode == ParameterCountMode.AllParameters
            ? (p.Tied ? 0 : p.Embedding)
            : Math.Min(batch, Model.VocabSize) * (double)Model.HiddenSize;
        return embedding * w.BaseBytes + p.LmHead * w.BaseBytes + p.Norms * w.BaseBytes
               + p.Attention * w.AttentionBytes + p.Router * w.RouterBytes + p.DenseMlp * w.MlpBytes
               + p.PerExpert * p.MoeLayers * ActiveExperts(batch) * w.ExpertBytes;
    }

    /// <summary>Parameters one token multiplies with; the simple form also charges the embedding table.</summary>
    public double ActiveParameters => Parameters.ActivePerToken + (Mode == ParameterCountMode.AllParameters && !Parameters.Tied ? Parameters.Embedding : 0);

    /// <summary>KV-cache bytes one sequence at this context reads per step, over all layers (before TP).</summary>
    public double KvBytesPerSequence(double context) => Model.KvBytesAt((long)Math.Round(context), KvBytesPerElement);

    /// <summary>TP ranks that split the KV cache: GQA splits by KV head (replicated past n_kv ranks); MLA's latent is replicated.</summary>
    public int KvSplit => Model.IsMla ? 1 : Math.Max(1, Math.Min(TensorParallel, Model.NumKeyValueHeads));

    public DecodeStep Decode(int batch, double context)
    {
        var wGpu = WeightBytes(batch) / TensorParallel;
        var kvGpu = batch * KvBytesPerSequence(context) / KvSplit;
        var mem = (wGpu + kvGpu) / (Hardware.BandwidthGBps * 1e9);
        var comp = 2 * ActiveParameters * batch / TensorParallel / (GemmTflops * 1e12);
        return new DecodeStep(batch, context, wGpu, kvGpu, mem, comp);
    }

    /// <summary>Causal attention FLOPs of a prompt: 2 * Hq * (d_qk + d_v) * key-query pairs, pairs = L^2/2 (full) or ~L*w - w^2/2 (window w).</summary>
    public double PrefillAttentionFlops(double promptTokens)
    {
        var m = Model;
        double dv = m.IsMla ? m.VHeadDim ?? m.HeadDim : m.HeadDim;
        double total = 0;
        for (var l = 0; l < m.NumLayers; l++)
        {
            var pairs = m.LayerWindows[l] is { } w && w < promptTokens ? promptTokens * w - w * (double)w / 2 : promptTokens * promptTokens / 2;
            total += 2 * m.NumAttentionHeads * (m.QkHeadDim + dv) * pairs;
        }
        return total;
    }

    /// <summary>
    /// Prefill FLOPs of one prompt: 2 * (P_active - lm_head) per prompt token, plus the lm_head once (only the last
    /// position's logits make the first token), plus causal attention. The embedding is a lookup, not FLOPs, in both
    /// parameter-count modes (they differ in what decode reads, not in what prefill multiplies).
    /// </summary>
    public double PrefillFlops(double promptTokens)
    {
        var p = Parameters;
        var perToken = p.ActivePerToken - p.LmHead;
        return 2 * perToken * promptTokens + 2 * p.LmHead + PrefillAttentionFlops(promptTokens);
    }

    /// <summary>Prefill speed of light of one prompt on the replica, seconds.</summary>
    public double PrefillSeconds(double promptTokens) => PrefillFlops(promptTokens) / TensorParallel / (GemmTflops * 1e12);

    /// <summary>The GEMM rate the FLOP bounds use: gemm_fp8 for fp8 weights where the profile has it, else bf16.</summary>
    public double GemmTflops => Hardware.GemmTflopsFor(Weights.Quantized);
}
