using Micro.Core.Results.Points;
using Micro.Suites.Running;

namespace Micro.Suites.Attention;

/// <summary>Which kernel family runs a case (the case's kind, as results name it, is Micro.Core's AttentionKind).</summary>
public enum AttentionKernel { Decode, Mla, Prefill }

/// <summary>One point of the attention sweep: exactly one of the shapes is set.</summary>
public sealed record AttentionCase(string Id, AttentionKernel Kind, DecodeShape? Decode, MlaDecodeShape? Mla, PrefillShape? Prefill)
{
    public long Bytes => Kind switch
    {
        AttentionKernel.Decode => AttentionFormulas.DecodeBytes(Decode!),
        AttentionKernel.Mla => AttentionFormulas.MlaBytes(Mla!),
        _ => AttentionFormulas.PrefillBytes(Prefill!),
    };

    public double Flops => Kind switch
    {
        AttentionKernel.Decode => AttentionFormulas.DecodeFlops(Decode!),
        AttentionKernel.Mla => AttentionFormulas.MlaFlops(Mla!),
        _ => AttentionFormulas.PrefillFlops(Prefill!),
    };

    public string BytesCounted => Kind switch
    {
        AttentionKernel.Decode => AttentionFormulas.DecodeBytesCounted,
        AttentionKernel.Mla => AttentionFormulas.MlaBytesCounted,
        _ => AttentionFormulas.PrefillBytesCounted,
    };

    public string FlopsFormula => Kind == AttentionKernel.Prefill && Prefill!.Causal
        ? "FA3/FlashInfer causal: b*Hq*Lq*(2*Lk-Lq)*(d_qk+d_v)"
        : "FA3 non-causal: 2*b*Hq*Lq*Lk*(d_qk+d_v)";

    /// <summary>The same shape with Q/O element size of the backend (ILGPU keeps Q/O in fp32, native in 16-bit).</summary>
    public AttentionCase WithQo(int bytes) => this with
    {
        Decode = Decode is null ? null : Decode with { QoElementBytes = bytes },
        Mla = Mla is null ? null : Mla with { QoElementBytes = bytes },
        Prefill = Prefill is null ? null : Prefill with { QoElementBytes = bytes },
    };

    /// <summary>The typed point of this case for the results row.</summary>
    public AttentionParameters Point(string model)
    {
        var kind = PointNames.Parse<AttentionKind>(Id) ?? throw new InvalidOperationException("unknown attention case id " + Id);
        var p = new AttentionParameters { Kind = kind, Model = model, Batch = 0, HeadsQ = 0, QoBytes = 0 };
        return Kind switch
        {
            AttentionKernel.Decode => p with
            {
                Batch = Decode!.Batch, Context = Decode.Context, HeadsQ = Decode.HeadsQ, HeadsKv = Decode.HeadsKv, HeadDim = Decode.HeadDim,
                QoBytes = Decode.QoElementBytes, BlockSize = Decode.Layout == KvLayout.Paged ? Decode.BlockSize : null,
                KvBytes = 2L * Decode.Batch * Decode.Context * Decode.HeadsKv * Decode.HeadDim * KvDTypes.Size(Decode.KvType),
            },
            AttentionKernel.Mla => p with
            {
                Batch = Mla!.Batch, Context = Mla.Context, HeadsQ = Mla.Heads, KvLoraRank = Mla.LatentRank, RopeDim = Mla.RopeDim,
                QoBytes = Mla.QoElementBytes, BlockSize = Mla.Layout == KvLayout.Paged ? Mla.BlockSize : null,
                KvBytes = (long)Mla.Batch * Mla.Context * Mla.RowWidth * KvDTypes.Size(Mla.KvType),
            },
            _ => p with
            {
                Batch = Prefill!.Batch, SeqLen = Prefill.SeqLen, HeadsQ = Prefill.HeadsQ, HeadsKv = Prefill.HeadsKv, HeadDim = Prefill.HeadDim,
                QoBytes = Prefill.QoElementBytes,
            },
        };
    }

    /// <summary>What the typed point does not hold, as text: the FLOP formula.</summary>
    public Dictionary<string, string> Parameters() => new() { ["flops_formula"] = FlopsFormula };
}

/// <summary>The case table: the model's attention shape crossed with the requested kinds, contexts and lengths.</summary>
public static class AttentionCases
{
    /// <summary>Prefill batches hold about this many tokens, so short lengths still fill the GPU.</summary>
    public const int PrefillTokens = 16384;

    public static IReadOnlyList<AttentionCase> Build(AttentionModel model, AttentionOptions o, long? l2Bytes, Action<string> skip)
    {
        var cases = new List<AttentionCase>();
        var kv = KvDTypes.Size(o.KvType);
        foreach (var kind in o.Kinds)
        {
            switch (kind)
            {
                case "decode" or "decode-paged":
                    if (model.IsMla) { skip($"{kind}: {model.Name} uses MLA; use --kind mla"); break; }
                    foreach (var ctx in o.Contexts)
                    {
                        var perSeq = 2L * ctx * model.HeadsKv * model.HeadDim * kv;
                        var batch = o.Batch > 0 ? o.Batch : AttentionOptions.AutoBatch(perSeq, l2Bytes);
                        var layout = kind == "decode" ? KvLayout.Contiguous : KvLayout.Paged;
                        // The case id is the --kind name; the block size is the block_size parameter.
                        cases.Add(new AttentionCase(kind, AttentionKernel.Decode, model.Decode(batch, ctx, layout, o.BlockSize, o.KvType, 2), null, null));
                    }
                    break;
                case "mla":
                    if (!model.IsMla) { skip($"mla: {model.Name} does not use multi-head latent attention"); break; }
                    foreach (var ctx in o.Contexts)
                    {
                        var perSeq = (long)ctx * (model.LatentRank!.Value + (model.RopeDim ?? 0)) * kv;
                        var batch = o.Batch > 0 ? o.Batch : AttentionOptions.AutoBatch(perSeq, l2Bytes);
                        cases.Add(new AttentionCase(kind, AttentionKernel.Mla, null, model.Mla(batch, ctx, KvLayout.Paged, o.BlockSize, o.KvType, 2), null));
                    }
                    break;
                case "prefill" or "prefill-noncausal":
                    if (model.IsMla) { skip($"{kind}: MLA prefill (d_qk 192, d_v 128) is not implemented"); break; }
                    foreach (var len in o.Lengths)
                    {
                        var batch = o.Batch > 0 ? o.Batch : Math.Max(1, PrefillTokens / len);
                        var causal = kind == "prefill";
                        cases.Add(new AttentionCase(kind, AttentionKernel.Prefill, null, null, model.Prefill(batch, len, causal, o.KvType, 2)));
                    }
                    break;
                default:
                    throw new ArgumentException($"unknown attention kind '{kind}' (known: {string.Join(", ", AttentionOptions.AllKinds)})");
            }
        }
        return cases;
    }
}
