namespace Micro.EndToEnd.Ingest;

/// <summary>
/// The deployment keys a run carries at the top level of its result file, as `vllm bench serve --metadata KEY=VALUE`
/// writes them (values as strings; numbers are accepted too): vLLM's engine-arg names for parallelism, quantization and
/// the KV-cache dtype and the scheduler limits (`max_num_seqs`, `max_num_batched_tokens`, `gpu_memory_utilization`),
/// `enable_expert_parallel` and `pipeline_parallel_size` (refused above 1),
/// `gpu` (a datasheet name or a ceilings.json path), and for disaggregated runs Micro's pool flags (`prefill_gpus`,
/// `prefill_tp`, `decode_gpus`, `decode_tp`). A key the file lacks is null: the command's flag applies.
/// </summary>
public sealed record RunMetadata
{
    public static readonly RunMetadata None = new();

    /// <summary>Each key with its property: a new key is one property and one row here.</summary>
    private static readonly (string Key, Func<RunMetadata, string?> Get, Func<RunMetadata, string, RunMetadata> With)[] Fields =
    [
        ("gpu", m => m.Gpu, (m, v) => m with { Gpu = v }),
        ("tensor_parallel_size", m => m.TensorParallelSize, (m, v) => m with { TensorParallelSize = v }),
        ("expert_parallel_size", m => m.ExpertParallelSize, (m, v) => m with { ExpertParallelSize = v }),
        ("data_parallel_size", m => m.DataParallelSize, (m, v) => m with { DataParallelSize = v }),
        ("quantization", m => m.Quantization, (m, v) => m with { Quantization = v }),
        ("kv_cache_dtype", m => m.KvCacheDtype, (m, v) => m with { KvCacheDtype = v }),
        ("prefill_gpus", m => m.PrefillGpus, (m, v) => m with { PrefillGpus = v }),
        ("prefill_tp", m => m.PrefillTp, (m, v) => m with { PrefillTp = v }),
        ("decode_gpus", m => m.DecodeGpus, (m, v) => m with { DecodeGpus = v }),
        ("decode_tp", m => m.DecodeTp, (m, v) => m with { DecodeTp = v }),
        ("max_num_seqs", m => m.MaxNumSeqs, (m, v) => m with { MaxNumSeqs = v }),
        ("max_num_batched_tokens", m => m.MaxNumBatchedTokens, (m, v) => m with { MaxNumBatchedTokens = v }),
        ("gpu_memory_utilization", m => m.GpuMemoryUtilization, (m, v) => m with { GpuMemoryUtilization = v }),
        ("enable_expert_parallel", m => m.EnableExpertParallel, (m, v) => m with { EnableExpertParallel = v }),
        ("pipeline_parallel_size", m => m.PipelineParallelSize, (m, v) => m with { PipelineParallelSize = v }),
    ];

    /// <summary>The keys read, in the order of the table above (a contract: `--metadata` names).</summary>
    public static readonly IReadOnlyList<string> Keys = Fields.Select(f => f.Key).ToArray();

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
    /// <summary>vLLM's --enable-expert-parallel: an MoE's experts over TP x DP ranks, where expert_parallel_size is not stated.</summary>
    public string? EnableExpertParallel { get; init; }
    /// <summary>Read only to refuse a pipeline-parallel run, which Micro does not model.</summary>
    public string? PipelineParallelSize { get; init; }

    public bool IsEmpty => this == None;

    /// <summary>The value of one of <see cref="Keys"/>, or null.</summary>
    public string? Get(string key) => Array.Find(Fields, f => f.Key == key) is { Key: not null } f ? f.Get(this) : null;

    /// <summary>This metadata with one of <see cref="Keys"/> set; an unknown key changes nothing.</summary>
    public RunMetadata With(string key, string value) => Array.Find(Fields, f => f.Key == key) is { Key: not null } f ? f.With(this, value) : this;
}
