using System.Text.Json.Serialization;

namespace Micro.Core.Results.Points;

/// <summary>The attention kernels Micro measures, written as the suite's case ids (the CLI's --kind names).</summary>
public enum AttentionKind
{
    [JsonStringEnumMemberName("decode")] Decode,
    [JsonStringEnumMemberName("decode-paged")] DecodePaged,
    /// <summary>DeepSeek MLA decode over the latent cache (paged).</summary>
    [JsonStringEnumMemberName("mla")] Mla,
    /// <summary>Causal prefill (Lq = Lk).</summary>
    [JsonStringEnumMemberName("prefill")] Prefill,
    [JsonStringEnumMemberName("prefill-noncausal")] PrefillNoncausal,
}

/// <summary>One attention point: decode (a batch at a context) or prefill (a batch of SeqLen-token prompts).</summary>
public sealed record AttentionParameters : IPointParameters
{
    public required AttentionKind Kind { get; init; }
    /// <summary>The model whose attention shape this is (llama-3.1-8b, deepseek-v3 ...).</summary>
    public required string Model { get; init; }
    public required int Batch { get; init; }
    /// <summary>Decode: tokens in each sequence's KV cache; null for prefill.</summary>
    public int? Context { get; init; }
    /// <summary>Prefill: Lq = Lk; null for decode.</summary>
    public int? SeqLen { get; init; }
    public required int HeadsQ { get; init; }
    /// <summary>Null for MLA (one latent row per token).</summary>
    public int? HeadsKv { get; init; }
    /// <summary>Null for MLA (see KvLoraRank and RopeDim).</summary>
    public int? HeadDim { get; init; }
    public int? KvLoraRank { get; init; }
    public int? RopeDim { get; init; }
    /// <summary>Tokens per KV block for paged layouts; null when contiguous.</summary>
    public int? BlockSize { get; init; }
    /// <summary>Bytes of one Q/O element (ILGPU keeps them in fp32, native kernels in 16-bit).</summary>
    public required int QoBytes { get; init; }
    /// <summary>KV cache bytes the decode reads; null for prefill.</summary>
    public long? KvBytes { get; init; }

    [JsonIgnore] public bool IsDecode => Kind is AttentionKind.Decode or AttentionKind.DecodePaged or AttentionKind.Mla;
    [JsonIgnore] public bool Causal => Kind == AttentionKind.Prefill;
    /// <summary>The decode context or the prefill length: the axis the step model interpolates over.</summary>
    [JsonIgnore] public int Length => (IsDecode ? Context : SeqLen) ?? 0;
}
