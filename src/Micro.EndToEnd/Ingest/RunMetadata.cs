namespace Micro.EndToEnd.Ingest;

/// <summary>
/// The deployment keys a run carries at the top level of its result file, as `vllm bench serve --metadata KEY=VALUE`
/// writes them (values as strings; numbers are accepted too): vLLM's engine-arg names for parallelism, quantization and
/// the KV-cache dtype and the scheduler limits (`max_num_seqs`, `max_num_batched_tokens`, `gpu_memory_utilization`),
/// `gpu` (a datasheet name or a ceilings.json path), and for disaggregated runs Micro's pool flags (`prefill_gpus`,
/// `prefill_tp`, `decode_gpus`, `decode_tp`). A key the file lacks is null: the command's flag applies.
/// </summary>
public sealed record RunMetadata
{
    public static readonly RunMetadata None = new();

    /// <summary>The keys read, in the order of the properties below (a contract: `--metadata` names).</summary>
    public static readonly IReadOnlyList<string> Keys =
        ["gpu", "tensor_parallel_size", "expert_parallel_size", "data_parallel_size", "quantization", "kv_cache_dtype", "prefill_gpus", "prefill_tp", "decode_gpus", "decode_tp",
         "max_num_seqs", "max_num_batched_tokens", "gpu_memory_utilization"];

    public string? Gpu { get; init; }
    public string? TensorParallelSize { get; init; }
    public string? ExpertParallelSize { get; init; }
    public string? DataParallelSize { get; init; }
    public string? Quantization { get; init; }
    public string? KvCacheDtype { get; init; }
    public string? PrefillGpus { get; init; }
    public string? PrefillTp { get; init; }
    public string? DecodeGpus { get; init; }
    public string? DecodeTp { get; init; }
    public string? MaxNumSeqs { get; init; }
    public string? MaxNumBatchedTokens { get; init; }
    public string? GpuMemoryUtilization { get; init; }

    public bool IsEmpty => this == None;

    /// <summary>The value of one of <see cref="Keys"/>, or null.</summary>
    public string? Get(string key) => key switch
    {
        "gpu" => Gpu, "tensor_parallel_size" => TensorParallelSize, "expert_parallel_size" => ExpertParallelSize,
        "data_parallel_size" => DataParallelSize, "quantization" => Quantization, "kv_cache_dtype" => KvCacheDtype,
        "prefill_gpus" => PrefillGpus, "prefill_tp" => PrefillTp, "decode_gpus" => DecodeGpus, "decode_tp" => DecodeTp,
        "max_num_seqs" => MaxNumSeqs, "max_num_batched_tokens" => MaxNumBatchedTokens, "gpu_memory_utilization" => GpuMemoryUtilization,
        _ => null,
    };

    public RunMetadata With(string key, string value) => key switch
    {
        "gpu" => this with { Gpu = value }, "tensor_parallel_size" => this with { TensorParallelSize = value },
        "expert_parallel_size" => this with { ExpertParallelSize = value }, "data_parallel_size" => this with { DataParallelSize = value },
        "quantization" => this with { Quantization = value }, "kv_cache_dtype" => this with { KvCacheDtype = value },
        "prefill_gpus" => this with { PrefillGpus = value }, "prefill_tp" => this with { PrefillTp = value },
        "decode_gpus" => this with { DecodeGpus = value }, "decode_tp" => this with { DecodeTp = value },
        "max_num_seqs" => this with { MaxNumSeqs = value }, "max_num_batched_tokens" => this with { MaxNumBatchedTokens = value },
        "gpu_memory_utilization" => this with { GpuMemoryUtilization = value },
        _ => this,
    };
}
