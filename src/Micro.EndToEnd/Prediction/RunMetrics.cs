using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Metrics;

namespace Micro.EndToEnd.Prediction;

/// <summary>
/// The (run, metric) pairs calibration and --check compare: vLLM's names, read from a result file (recomputed from its
/// per-request arrays where it has them, else as stated) and from a simulation alike.
/// </summary>
public static class RunMetrics
{
    /// <summary>What calibration fits: the median latencies and the output throughput (every vLLM file states them).</summary>
    public static readonly string[] Fitted = ["median_tpot_ms", "median_ttft_ms", "output_throughput"];

    /// <summary>What --check reports, where the file has it.</summary>
    public static readonly string[] Checked =
        ["median_tpot_ms", "median_ttft_ms", "output_throughput", "mean_ttft_ms", "p99_ttft_ms", "p99_tpot_ms", "median_itl_ms", "p99_itl_ms", "median_e2el_ms", "request_throughput"];

    public static double? Measured(BenchmarkPoint p, string metric)
    {
        if (metric == "output_throughput") return p.OutputThroughput;
        if (metric == "request_throughput") return p.RequestThroughput;
        var (stat, name) = Split(metric);
        if (p.Requests is { } a && a.Latencies is not null && name != "itl")
            return RecomputedMetrics.From(a).Get(name, stat);
        return p.Stated(name, stat);
    }

    public static double Predicted(SimulationResult r, string metric)
    {
        if (metric == "output_throughput") return r.OutputThroughput;
        if (metric == "request_throughput") return r.RequestThroughput;
        var (stat, name) = Split(metric);
        return r.Stat(name, stat);
    }

    private static (string Stat, string Metric) Split(string key)
    {
        StatedMetricKey.TryParse(key, out var k);
        return (k.Stat, k.Metric);
    }

    /// <summary>The benchmark that produced a file, to replay it: its concurrency, rate, prompt count and lengths.</summary>
    /// <param name="rangeRatio">For a run that states only its mean lengths: how they were drawn (vLLM's --random-range-ratio; 1 = fixed).</param>
    public static (LoadShape Load, LengthSampler Lengths) Workload(BenchmarkPoint p, int seed, double rangeRatio = 1)
    {
        var prompts = (int)Math.Max(1, p.NumPrompts ?? p.Completed + (p.Failed ?? 0));
        var concurrency = p.MaxConcurrency ?? (p.RequestRate is null ? prompts : null);
        var load = new LoadShape(concurrency, p.RequestRate, prompts, p.Burstiness is > 0 ? p.Burstiness.Value : 1, seed);
        if (p.Requests is { } a && a.InputLens.Any(x => x > 0))
        {
            var ok = Enumerable.Range(0, a.Count).Where(i => !a.Failed[i] && a.OutputLens[i] > 0).ToArray();
            if (ok.Length > 0)
                return (load, new LengthSampler((int)Math.Round(p.MeanInputTokens), (int)Math.Round(p.MeanOutputTokens),
                    ok.Select(i => a.InputLens[i]).ToArray(), ok.Select(i => a.OutputLens[i]).ToArray(), "per-request lengths of " + p.Source));
        }
        return (load, new LengthSampler(Math.Max(1, (int)Math.Round(p.MeanInputTokens)), Math.Max(1, (int)Math.Round(p.MeanOutputTokens)),
            Source: "mean lengths of " + p.Source + (rangeRatio < 1 ? $" (drawn with range ratio {rangeRatio})" : "")) { RangeRatio = rangeRatio });
    }

    public static int? Concurrency(BenchmarkPoint p) => p.MaxConcurrency ?? (p.RequestRate is null ? (int?)(p.NumPrompts ?? p.Completed) : null);
}
