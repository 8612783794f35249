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

    public static Deployment Aggregated(int gpus = 1, int tensorParallel = 1, int decodeReplicas = 1) =>
        new() { Decode = new GpuPool(gpus, tensorParallel), DecodeReplicas = decodeReplicas };

    public static Deployment Split(GpuPool prefill, GpuPool decode) =>
        new() { Prefill = prefill, Decode = decode, DecodeReplicas = decode.Replicas };
}
