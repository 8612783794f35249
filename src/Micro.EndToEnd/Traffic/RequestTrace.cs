namespace Micro.EndToEnd.Traffic;

/// <summary>
/// One request of a trace: when it arrives (seconds from the trace's start), its prompt and output tokens, and for
/// traces that mark shared prefixes, one hash per HashBlockTokens-token block of the prompt (equal hash = equal block,
/// given equal blocks before it).
/// </summary>
public readonly record struct TraceRequest(double ArrivalSeconds, int InputTokens, int OutputTokens, int[]? HashIds = null);

/// <summary>The formats `--workload` reads, detected from the file's content.</summary>
public enum TraceFormat { AzureCsv, MooncakeJsonl, PlainCsv, VllmResult }

/// <summary>Requests in arrival order, with where they came from. Arrival times start at 0.</summary>
public sealed record RequestTrace(string Source, TraceFormat Format, IReadOnlyList<TraceRequest> Requests, int HashBlockTokens = RequestTrace.MooncakeBlockTokens)
{
    /// <summary>Mooncake's traces hash the prompt per 512 tokens.</summary>
    public const int MooncakeBlockTokens = 512;

    /// <summary>Seconds from the first arrival to the last.</summary>
    public double Span => Requests.Count == 0 ? 0 : Requests[^1].ArrivalSeconds - Requests[0].ArrivalSeconds;

    /// <summary>Requests per second over the span (a trace of one instant: its count).</summary>
    public double MeanRate => Span > 0 ? (Requests.Count - 1) / Span : Requests.Count;

    public bool HasHashes => Requests.Count > 0 && Requests.Any(r => r.HashIds is { Length: > 0 });

    public string FormatName => Format switch
    {
        TraceFormat.AzureCsv => "Azure LLM inference trace CSV",
        TraceFormat.MooncakeJsonl => "Mooncake JSON lines",
        TraceFormat.PlainCsv => "CSV arrival_s,input_tokens,output_tokens",
        _ => "vLLM result (lengths only)",
    };
}
