using Micro.Core.Results;
using Micro.Core.Results.Points;

namespace Micro.Core.Ceilings;

/// <summary>
/// One attention figure for one model shape: decode GB/s at a context (bytes = Q + K + V + O, FlashInfer's accounting)
/// or prefill TFLOP/s at a length (FlashAttention-3 FLOPs), with its fraction of this device's measured copy bandwidth
/// (d2d_copy, else memory_bandwidth) or bf16 GEMM rate when the same profile holds those ceilings.
/// </summary>
public sealed record AttentionPoint
{
    public required string Model { get; init; }
    /// <summary>Written as the suite's case id, the CLI's --kind name: decode, decode-paged, mla, prefill (causal), prefill-noncausal.</summary>
    public required AttentionKind Kind { get; init; }
    public required string Backend { get; init; }
    public required string DType { get; init; }
    public int Batch { get; init; }
    /// <summary>Decode context, or prefill length (Lq = Lk).</summary>
    public int Tokens { get; init; }
    public required double Value { get; init; }
    public required string Unit { get; init; }
    public double? FractionOfCeiling { get; init; }
    public string? CeilingName { get; init; }
    /// <summary>CV above 10% or taken on a busy machine, and no clean point of this shape (CeilingsBuilder's rule).</summary>
    public bool Noisy { get; init; }
}

/// <summary>The per-model attention section of ceilings.json, built from verified points of the attention suite.</summary>
public static class AttentionCeilings
{
    public const string Suite = "attention";
    /// <summary>Ceiling names the attention points are candidates for (best decode GB/s, best prefill TFLOP/s on the device).</summary>
    public const string DecodeCeiling = "attention_decode", PrefillCeiling = "attention_prefill";

    /// <summary>
    /// Per (model, kind, backend, dtype, tokens) the point CeilingsBuilder.Choose picks among the verified, unlabelled
    /// ones: the best clean median (GB/s for decode, TFLOP/s for prefill), else the best noisy one, marked.
    /// Null when the records hold no attention points.
    /// </summary>
    public static IReadOnlyList<AttentionPoint>? Build(IEnumerable<MeasurementRecord> records, IReadOnlyList<Ceiling> deviceCeilings)
    {
        var copy = deviceCeilings.FirstOrDefault(c => c.Name == CeilingNames.D2D) ?? deviceCeilings.FirstOrDefault(c => c.Name == CeilingNames.MemoryBandwidth);
        var gemm = deviceCeilings.FirstOrDefault(c => c.Name == CeilingNames.GemmBf16);
        var points = new List<AttentionPoint>();
        var verified = records.Where(r => r.Suite == Suite && r.Verification.Passed && r.Label is null && r.Attention is not null);
        foreach (var g in verified.GroupBy(r => (r.Attention!.Model, r.Attention.Kind, r.Backend, r.DType, Tokens: r.Attention.Length)))
        {
            var decode = g.First().Attention!.IsDecode;
            var best = CeilingsBuilder.Choose(g, r => (decode ? r.Bandwidth?.Median : r.Compute?.Median) ?? 0, lowerIsBetter: false);
            if (best is null) continue;
            var value = decode ? best.Bandwidth?.Median : best.Compute?.Median;
            if (value is null) continue;
            var ceiling = decode ? copy : gemm;
            points.Add(new AttentionPoint
            {
                Model = g.Key.Model, Kind = g.Key.Kind, Backend = g.Key.Backend, DType = g.Key.DType,
                Batch = best.Attention!.Batch, Tokens = g.Key.Tokens, Value = value.Value,
                Unit = decode ? best.Bandwidth!.Unit : best.Compute!.Unit,
                FractionOfCeiling = ceiling is { Value: > 0 } ? value.Value / ceiling.Value : null,
                CeilingName = ceiling?.Name, Noisy = CeilingsBuilder.IsNoisy(best),
            });
        }
        return points.Count == 0 ? null : points.OrderBy(p => p.Model, StringComparer.Ordinal).ThenBy(p => p.Kind)
            .ThenBy(p => p.Backend, StringComparer.Ordinal).ThenBy(p => p.Tokens).ToArray();
    }
}
