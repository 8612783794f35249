using Micro.Core.Statistics;

namespace Micro.EndToEnd.Prediction;

/// <summary>What one simulated benchmark gives, in vLLM's terms (ms; numpy percentiles; TPOT over requests with &gt; 1 output token).</summary>
public sealed record SimulationResult
{
    public required int Completed { get; init; }
    public required double Duration { get; init; }
    public required long TotalInputTokens { get; init; }
    public required long TotalOutputTokens { get; init; }
    public required double[] TtftMs { get; init; }
    public required double[] TpotMs { get; init; }
    /// <summary>Per request, 0 where output_len &lt;= 1 (as vLLM's goodput reads it).</summary>
    public required double[] TpotPerRequestMs { get; init; }
    public required double[] E2elMs { get; init; }
    public required WeightedSamples Itl { get; init; }
    public required long DecodeSteps { get; init; }
    /// <summary>Mean seconds per step of the decode (or aggregated) pool, by component.</summary>
    public required StepCost MeanStep { get; init; }
    public required double MeanDecodeBatch { get; init; }
    public required long Preemptions { get; init; }
    /// <summary>Requests sent while the front-end was saturated (utilization held at ServingSimulator.MaxFrontendUtilization): their TTFT is a lower bound.</summary>
    public int FrontendSaturated { get; init; }
    public required int MaxRunning { get; init; }
    public required double PeakKvFraction { get; init; }
    /// <summary>The simulated KV cache filled up (requests preempted, or blocks all but used): the run's latencies then carry
    /// queueing for memory, which a real run with more KV (an fp8 cache, a higher gpu_memory_utilization) would not.</summary>
    public bool RanOutOfKv => Preemptions > 0 || PeakKvFraction >= 0.98;
    /// <summary>Time-averaged requests in flight (sent, not completed): Little's L.</summary>
    public required double MeanInFlight { get; init; }

    /// <summary>When each completed request was sent (s from the start), in the order of TtftMs/E2elMs/TpotPerRequestMs.</summary>
    public double[] SendSeconds { get; init; } = [];
    /// <summary>Output tokens of each completed request, in the same order.</summary>
    public int[] OutputTokens { get; init; } = [];
    /// <summary>Requests whose client gave up (timeout) before the last token: never counted as served.</summary>
    public int Dropped { get; init; }
    /// <summary>Requests refused at admission (queue limit, or longer than the KV cache holds).</summary>
    public int Rejected { get; init; }
    public double[] DroppedSendSeconds { get; init; } = [];
    public double[] RejectedSendSeconds { get; init; } = [];
    /// <summary>Seconds the replicas spent running steps, all replicas together.</summary>
    public double BusySeconds { get; init; }
    public int Replicas { get; init; } = 1;
    /// <summary>Prompt tokens served from the prefix cache over prompt tokens looked up (vLLM's prefix_cache_hit_rate); null when no request carried hashes.</summary>
    public double? PrefixCacheHitRate { get; init; }
    public long PrefixCacheHitTokens { get; init; }
    /// <summary>Mean TTFT split by where it went (ms): the front-end, waiting for the scheduler, prefill until the first token (hand-off included); null when nothing completed.</summary>
    public TtftParts? MeanTtftParts { get; init; }

    /// <summary>Requests sent: served, dropped and rejected.</summary>
    public int Sent => Completed + Dropped + Rejected;
    /// <summary>Busy step time over replica time (a replica running any step, even of one request, is busy).</summary>
    public double Utilization => Duration > 0 && Replicas > 0 ? BusySeconds / (Duration * Replicas) : 0;

    /// <summary>The requests sent in each `seconds`-long window from 0 (the last one may be shorter), with their own percentiles.</summary>
    public IReadOnlyList<SimulationWindow> Windows(double seconds)
    {
        if (!(seconds > 0)) throw new ArgumentOutOfRangeException(nameof(seconds));
        var last = Math.Max(SendSeconds.DefaultIfEmpty(0).Max(), Math.Max(DroppedSendSeconds.DefaultIfEmpty(0).Max(), RejectedSendSeconds.DefaultIfEmpty(0).Max()));
        var count = (int)Math.Min(1_000_000, Math.Floor(last / seconds) + 1);
        var members = new List<int>[count];
        for (var i = 0; i < count; i++) members[i] = [];
        for (var i = 0; i < SendSeconds.Length; i++) members[Index(SendSeconds[i])].Add(i);
        var dropped = new int[count];
        var rejected = new int[count];
        foreach (var t in DroppedSendSeconds) dropped[Index(t)]++;
        foreach (var t in RejectedSendSeconds) rejected[Index(t)]++;
        return [.. Enumerable.Range(0, count).Select(w => new SimulationWindow(w * seconds, (w + 1) * seconds,
            [.. members[w].Select(i => TtftMs[i])], [.. members[w].Where(i => OutputTokens[i] > 1).Select(i => TpotPerRequestMs[i])],
            [.. members[w].Select(i => E2elMs[i])], dropped[w], rejected[w]))];
        int Index(double t) => Math.Min(count - 1, (int)Math.Floor(t / seconds));
    }

    public double RequestThroughput => Completed / Duration;
    public double OutputThroughput => TotalOutputTokens / Duration;
    public double TotalTokenThroughput => (TotalInputTokens + TotalOutputTokens) / Duration;

    private double[]? _sTtft, _sTpot, _sE2el;

    /// <summary>A statistic (mean, median, std, pNN) of ttft, tpot, itl or e2el in ms.</summary>
    public double Stat(string metric, string stat)
    {
        if (metric == "itl")
            return 1e3 * stat switch { "mean" => Itl.Mean, "std" => Itl.Std, _ => Itl.Percentile(Ingest.StatedMetricKey.PercentileOf(stat) ?? 50) };
        var sorted = metric switch
        {
            "ttft" => _sTtft ??= Sorted(TtftMs),
            "tpot" => _sTpot ??= Sorted(TpotMs),
            _ => _sE2el ??= Sorted(E2elMs),
        };
        return StatOf(sorted, stat);
    }

    internal static double StatOf(double[] sorted, string stat)
    {
        if (sorted.Length == 0) return 0;
        return stat switch
        {
            "mean" => sorted.Average(),
            "std" => Std(sorted),
            _ => Stats.Percentile(sorted, Ingest.StatedMetricKey.PercentileOf(stat) ?? 50),
        };
    }

    internal static double[] Sorted(double[] a)
    {
        var s = (double[])a.Clone();
        Array.Sort(s);
        return s;
    }

    private static double Std(double[] a)
    {
        var m = a.Average();
        return Math.Sqrt(a.Sum(x => (x - m) * (x - m)) / a.Length);
    }
}

/// <summary>The requests sent in one time window of a replay: their own latency percentiles, and how many were dropped or rejected.</summary>
public sealed class SimulationWindow(double start, double end, double[] ttftMs, double[] tpotMs, double[] e2elMs, int dropped, int rejected)
{
    private readonly double[] _ttft = SimulationResult.Sorted(ttftMs), _tpot = SimulationResult.Sorted(tpotMs), _e2el = SimulationResult.Sorted(e2elMs);

    public double Start { get; } = start;
    public double End { get; } = end;
    public int Completed => _ttft.Length;
    public int Dropped { get; } = dropped;
    public int Rejected { get; } = rejected;

    /// <summary>A statistic of ttft, tpot or e2el in ms over this window's completed requests (itl: not kept per window, 0).</summary>
    public double Stat(string metric, string stat) => metric switch
    {
        "ttft" => SimulationResult.StatOf(_ttft, stat),
        "tpot" => SimulationResult.StatOf(_tpot, stat),
        "e2el" => SimulationResult.StatOf(_e2el, stat),
        _ => 0,
    };
}

/// <summary>Where a mean TTFT goes (ms): the three add up to the mean TTFT.</summary>
public sealed record TtftParts(double FrontendMs, double QueueingMs, double PrefillMs);
