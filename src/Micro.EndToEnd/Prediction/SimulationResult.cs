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
    /// <summary>Time-averaged requests in flight (sent, not completed): Little's L.</summary>
    public required double MeanInFlight { get; init; }

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
        if (sorted.Length == 0) return 0;
        return stat switch
        {
            "mean" => sorted.Average(),
            "std" => Std(sorted),
            _ => Stats.Percentile(sorted, Ingest.StatedMetricKey.PercentileOf(stat) ?? 50),
        };
    }

    private static double[] Sorted(double[] a)
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
