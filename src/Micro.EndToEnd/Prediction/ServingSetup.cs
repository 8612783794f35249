using Micro.Core.Results;

namespace Micro.EndToEnd.Prediction;

/// <summary>
/// The scheduler limits of one vLLM engine. Defaults are vLLM v1's for the OpenAI server (vllm/engine/arg_utils.py,
/// EngineArgs._set_default_args_v1, v0.10): max_num_seqs 1024 and max_num_batched_tokens 8192 on GPUs with at least
/// 70 GiB, else 256 and 2048; gpu_memory_utilization 0.9; block_size 16; chunked prefill on.
/// </summary>
public sealed record SchedulerConfig(int MaxNumSeqs, int MaxNumBatchedTokens, double GpuMemoryUtilization, int BlockSize)
{
    public const string DefaultsSource = "vLLM v1 defaults for `vllm serve` (v0.10 engine/arg_utils.py _set_default_args_v1): max_num_seqs 1024 / max_num_batched_tokens 8192 on GPUs with >= 70 GiB, else 256 / 2048; gpu_memory_utilization 0.9; block_size 16";

    public static SchedulerConfig VllmDefaults(double memoryGB) =>
        memoryGB * 1e9 >= 70 * (double)(1L << 30) ? new(1024, 8192, 0.9, 16) : new(256, 2048, 0.9, 16);

    /// <summary>Whether a gpu_memory_utilization is a fraction vLLM accepts, (0, 1]: one rule for the flag and for a run's key.</summary>
    public static bool IsMemoryUtilization(double f) => f is > 0 and <= 1;

    public void Validate()
    {
        if (MaxNumSeqs < 1) throw new InputException("--max-num-seqs", MaxNumSeqs.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be at least 1");
        if (MaxNumBatchedTokens < 1) throw new InputException("--max-num-batched-tokens", MaxNumBatchedTokens.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be at least 1");
        if (!IsMemoryUtilization(GpuMemoryUtilization)) throw new InputException("--gpu-memory-utilization", GpuMemoryUtilization.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be in (0, 1]");
        if (BlockSize < 1) throw new InputException("--block-size", BlockSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be at least 1");
    }
}

/// <summary>
/// How the benchmark client drives the server, as `vllm bench serve` does: Concurrency caps requests in flight
/// (--max-concurrency); RequestRate null = send as fast as the cap allows ("inf"), else Poisson-like arrivals with
/// gamma-distributed gaps of shape Burstiness (1 = Poisson); NumPrompts requests in all.
/// </summary>
public sealed record LoadShape(int? Concurrency, double? RequestRate, int NumPrompts, double Burstiness = 1, int Seed = 0)
{
    /// <summary>The concurrency of a closed loop (no request rate); null for an open one, capped or not.</summary>
    public int? ClosedLoopConcurrency => RequestRate is null ? Concurrency : null;

    /// <summary>A replayed trace: its requests arrive at its times with its lengths (RequestRate, Burstiness, NumPrompts unused).</summary>
    public Traffic.RequestTrace? Trace { get; init; }
    /// <summary>Client timeout: a request not finished this long after it was sent is dropped (counted, never served).</summary>
    public double? TimeoutSeconds { get; init; }
    /// <summary>Admission limit: a request the balancer would queue behind this many waiting ones is rejected, as a gateway does.</summary>
    public int? MaxQueue { get; init; }
    /// <summary>vLLM v1's automatic prefix caching (on by default); it matters only where requests carry block hashes.</summary>
    public bool PrefixCaching { get; init; } = true;

    public string Label => Trace is { } t ? (Concurrency is { } tc ? $"c{tc} " : "") + "trace " + Path.GetFileName(t.Source)
        : (Concurrency is { } c ? $"c{c}" : "") + (RequestRate is { } r ? $"{(Concurrency is null ? "" : " ")}r{r:0.###}" : "");
}

/// <summary>Prompt and output lengths: fixed, or drawn (with replacement, seeded) from a result file's per-request lengths, or
/// (RangeRatio below 1, as vLLM's random dataset with --random-range-ratio) drawn uniformly from [L x 2R/(1+R), L x 2/(1+R)], whose mean is L.</summary>
public sealed record LengthSampler(int Isl, int Osl, int[]? InputLens = null, int[]? OutputLens = null, string Source = "fixed")
{
    /// <summary>1 = fixed lengths; below 1 the spread of drawn lengths around their mean (InferenceX draws from [0.8 L, L]: 0.8).</summary>
    public double RangeRatio { get; init; } = 1;

    public (int Isl, int Osl) Draw(Random rng)
    {
        if (InputLens is null || OutputLens is null || InputLens.Length == 0)
        {
            if (RangeRatio >= 1) return (Isl, Osl);
            double Spread(int l) => l * (2 * RangeRatio + 2 * (1 - RangeRatio) * rng.NextDouble()) / (1 + RangeRatio);
            return (Math.Max(1, (int)Math.Round(Spread(Isl))), Math.Max(1, (int)Math.Round(Spread(Osl))));
        }
        var i = rng.Next(InputLens.Length);
        return (Math.Max(1, InputLens[i]), Math.Max(1, OutputLens[i]));
    }
}
