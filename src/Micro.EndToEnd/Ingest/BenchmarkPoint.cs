namespace Micro.EndToEnd.Ingest;

/// <summary>One vLLM serving benchmark run (one concurrency / request-rate point), as the file states it.</summary>
public sealed record BenchmarkPoint
{
    /// <summary>File the point came from; with --append-result files, "file#line".</summary>
    public required string Source { get; init; }
    /// <summary>Legacy benchmarks/benchmark_serving.py output (key "request_goodput:" with the colon, no "failed").</summary>
    public bool Legacy { get; init; }
    public required double Duration { get; init; }
    public required long Completed { get; init; }
    public long? Failed { get; init; }
    public long? NumPrompts { get; init; }
    public required long TotalInputTokens { get; init; }
    public required long TotalOutputTokens { get; init; }
    public required double RequestThroughput { get; init; }
    public double? RequestGoodput { get; init; }
    public required double OutputThroughput { get; init; }
    public required double TotalTokenThroughput { get; init; }
    public int? MaxConcurrency { get; init; }
    /// <summary>Requests per second; null means "inf" (all requests sent at once).</summary>
    public double? RequestRate { get; init; }
    /// <summary>False when the file has no request_rate key (benchmark_serving's default is inf).</summary>
    public bool RequestRateStated { get; init; } = true;
    public double? Burstiness { get; init; }
    public string? ModelId { get; init; }
    public string? Backend { get; init; }
    public string? Date { get; init; }
    /// <summary>Latency statistics the file states, in ms, keyed by (metric, statistic): ("tpot", "p99"), ("ttft", "mean") ...</summary>
    public required IReadOnlyDictionary<(string Metric, string Stat), double> StatedMs { get; init; }
    /// <summary>Per-request arrays (--save-detailed), or null.</summary>
    public RequestArrays? Requests { get; init; }
    /// <summary>The deployment keys the file carries (`vllm bench serve --metadata`); empty when none.</summary>
    public RunMetadata Metadata { get; init; } = RunMetadata.None;
    /// <summary>What PlausibilityRules found doubtful in this point (one line each, naming file and field); shown as warnings.</summary>
    public IReadOnlyList<string> Doubts { get; init; } = [];

    public double? Stated(string metric, string stat) => StatedMs.TryGetValue((metric, stat), out var v) ? v : null;
    public double MeanInputTokens => Completed > 0 ? (double)TotalInputTokens / Completed : 0;
    public double MeanOutputTokens => Completed > 0 ? (double)TotalOutputTokens / Completed : 0;
}

/// <summary>
/// Per-request arrays of a detailed vLLM result, in seconds as vLLM writes them. ITLs are pooled into one flat
/// array with offsets (request i owns ItlFlat[ItlOffsets[i]..ItlOffsets[i+1]]) so 100k requests stay cheap.
/// </summary>
public sealed record RequestArrays
{
    public required int[] InputLens { get; init; }
    public required int[] OutputLens { get; init; }
    public required double[] Ttfts { get; init; }
    /// <summary>End-to-end latencies when the file has them. Without them E2EL and TPOT are not recomputable: TTFT + sum(ITL)
    /// misses the time after the last chunk (vLLM 0.5 files count ~65 ms for zero-token replies with TTFT 0).</summary>
    public double[]? Latencies { get; init; }
    public required double[] ItlFlat { get; init; }
    public required int[] ItlOffsets { get; init; }
    /// <summary>True where the request failed (non-empty error string).</summary>
    public required bool[] Failed { get; init; }

    public int Count => Ttfts.Length;
}
