namespace Micro.EndToEnd.Deployment;

/// <summary>One pool of identical GPUs serving one phase (or both): how many GPUs and how each replica is split.</summary>
/// <param name="Gpus">GPUs in the pool (billed).</param>
/// <param name="TensorParallel">Tensor-parallel size of one replica; Gpus / TensorParallel replicas share the load.</param>
public sealed record GpuPool(int Gpus, int TensorParallel)
{
    public int Replicas => Math.Max(1, Gpus / Math.Max(1, TensorParallel));
}

/// <summary>
/// Where a served model runs, shared by `micro analyze` and `micro predict`: either one aggregated pool (--gpus, --tp,
/// --decode-replicas) or disaggregated prefill and decode pools (--prefill-gpus/--prefill-tp, --decode-gpus/--decode-tp)
/// with the KV cache moved between them. Per-GPU figures and costs are over every GPU billed.
/// </summary>
public sealed record Deployment
{
    /// <summary>The aggregated pool, or the decode pool of a disaggregated deployment.</summary>
    public required GpuPool Decode { get; init; }
    /// <summary>The prefill pool of a disaggregated deployment; null when prefill and decode share the GPUs.</summary>
    public GpuPool? Prefill { get; init; }
    /// <summary>Decode replicas sharing the benchmark's concurrency (aggregated: --decode-replicas; disaggregated: Decode.Replicas).</summary>
    public int DecodeReplicas { get; init; } = 1;

    public bool Disaggregated => Prefill is not null;
    public int BilledGpus => Decode.Gpus + (Prefill?.Gpus ?? 0);

    /// <summary>Tensor-parallel size of one prefill replica (the decode pool's when aggregated).</summary>
    public int PrefillTensorParallel => (Prefill ?? Decode).TensorParallel;
    /// <summary>Replicas that run prefills at once: the prefill pool's, or the aggregated pool's decode replicas.</summary>
    public int PrefillReplicas => Prefill?.Replicas ?? DecodeReplicas;

    /// <summary>One line for the assumptions: how many GPUs, how they are split, which phase runs where.</summary>
    public string Describe() => Prefill is { } p
        ? $"disaggregated: prefill pool {p.Gpus} GPU(s) at TP {p.TensorParallel} ({p.Replicas} replica(s)), decode pool {Decode.Gpus} GPU(s) at TP {Decode.TensorParallel} ({Decode.Replicas} replica(s)); {BilledGpus} GPU(s) billed; prefill and decode run apart, the KV cache moves between the pools"
        : $"aggregated: {Decode.Gpus} GPU(s) billed, TP {Decode.TensorParallel}, {DecodeReplicas} decode replica(s); prefill and decode share the GPUs";

    public static Deployment Aggregated(int gpus = 1, int tensorParallel = 1, int decodeReplicas = 1) =>
        new() { Decode = new GpuPool(gpus, tensorParallel), DecodeReplicas = decodeReplicas };

    public static Deployment Split(GpuPool prefill, GpuPool decode) =>
        new() { Prefill = prefill, Decode = decode, DecodeReplicas = decode.Replicas };
}
