using Micro.EndToEnd.Cost;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Metrics;

namespace Micro.EndToEnd.Analysis;

/// <summary>Analyzes one benchmark point: latencies used, SLO verdict, goodput, speed of light, cost, diagnosis.</summary>
public static class PointAnalyzer
{
    private static readonly string[] DefaultStats = ["mean", "median", "std", "p90", "p95", "p99", "p99.9"];

    public const string Recomputed = "recomputed from the per-request arrays";
    public const string StatedSummaryOnly = "as stated in the file (no per-request arrays)";
    public const string StatedNotRecomputable = "as stated in the file (not recomputable from its per-request arrays)";

    /// <summary>
    /// The benchmark's concurrency: max_concurrency; else, with request_rate inf (stated, or absent: benchmark_serving's
    /// default) every prompt is sent at once, so num_prompts; else the measured average in flight (Little's law with the
    /// stated or recomputed mean E2EL).
    /// </summary>
    public static (double? Value, string Source) Concurrency(BenchmarkPoint p, double? meanE2elMs, string? e2elProvenance)
    {
        if (p.MaxConcurrency is { } mc) return (mc, "max_concurrency");
        var prompts = p.NumPrompts ?? p.Requests?.Count;
        if (p.RequestRate is null && prompts is > 0)
            return (prompts, (p.NumPrompts is not null ? "num_prompts" : "number of requests in the per-request arrays") +
                             (p.RequestRateStated ? " (request_rate inf sends every request at once)" : " (no request_rate in the file: benchmark_serving's default inf sends every request at once)"));
        if (meanE2elMs is { } e)
            return (p.RequestThroughput * e / 1000, $"measured average in flight (request throughput x mean E2EL, {e2elProvenance})");
        return (null, "unknown");
    }

    public static PointAnalysis Analyze(BenchmarkPoint p, AnalysisOptions o)
    {
        var re = p.Requests is { } arrays ? RecomputedMetrics.From(arrays) : null;
        var latency = new Dictionary<string, double>(StringComparer.Ordinal);
        var provenance = new Dictionary<string, string>(StringComparer.Ordinal);
        if (re is not null)
        {
            var stats = DefaultStats.Concat(p.StatedMs.Keys.Select(k => k.Stat)).Concat(o.Slos.Select(s => s.Stat)).Distinct().ToList();
            foreach (var metric in StatedMetricKey.Metrics)
                foreach (var stat in stats)
                    if (re.Get(metric, stat) is { } v)
                    {
                        latency[PointAnalysis.LatencyKey(stat, metric)] = v;
                        provenance[PointAnalysis.LatencyKey(stat, metric)] = Recomputed;
                    }
        }
        // What the arrays cannot give (E2EL/TPOT without per-request latencies, or a statistic not recomputed) stays as stated.
        var statedWhy = re is null ? StatedSummaryOnly : StatedNotRecomputable;
        foreach (var ((metric, stat), v) in p.StatedMs)
            if (latency.TryAdd(PointAnalysis.LatencyKey(stat, metric), v)) provenance[PointAnalysis.LatencyKey(stat, metric)] = statedWhy;
        double? Lat(string stat, string metric) => latency.TryGetValue(PointAnalysis.LatencyKey(stat, metric), out var v) ? v : null;

        var (concurrency, concSource) = Concurrency(p, Lat("mean", "e2el"), provenance.GetValueOrDefault(PointAnalysis.LatencyKey("mean", "e2el")));
        var checks = o.Slos.Select(s =>
        {
            var v = Lat(s.Stat, s.Metric);
            return v is { } x
                ? new SloCheck(s.Text, x, x <= s.ThresholdMs, null)
                : new SloCheck(s.Text, null, null, $"the file states no {s.Stat}_{s.Metric}_ms and has no per-request arrays");
        }).ToList();
        bool? meets = checks.Count == 0 ? null : checks.Any(c => c.Met == false) ? false : checks.All(c => c.Met == true) ? true : null;

        double? goodput = null;
        string? goodputNote;
        if (re is not null)
        {
            var (rps, _, why) = Goodput.Compute(re, o.Slos, p.Duration);
            goodput = rps;
            goodputNote = why ?? "from the per-request arrays";
        }
        else goodputNote = p.RequestGoodput is { } g
            ? $"the file states request_goodput {Fmt.N(g, 3)} for an SLO it does not record; not used"
            : "no per-request arrays (summary-only file)";

        var hourly = o.DollarsPerHour;
        var failed = p.Failed ?? (p.NumPrompts is { } np && np >= p.Completed ? np - p.Completed : null);
        double? offered = failed is { } f ? p.Completed + f : null;
        var point = new PointAnalysis
        {
            Source = p.Source, ModelId = p.ModelId, Concurrency = concurrency, ConcurrencySource = concSource,
            RequestRate = p.RequestRate ?? double.PositiveInfinity, Duration = p.Duration, Completed = p.Completed, Failed = failed,
            MeanInputTokens = p.MeanInputTokens, MeanOutputTokens = p.MeanOutputTokens,
            OutputThroughput = p.OutputThroughput, TotalTokenThroughput = p.TotalTokenThroughput, RequestThroughput = p.RequestThroughput,
            OutputThroughputPerGpu = p.OutputThroughput / o.Gpus,
            PerUserTokensPerSecond = Lat("mean", "tpot") is > 0 and var tp ? 1000 / tp : null,
            LatencyMs = latency, LatencyProvenance = provenance,
            LatencySource = re is null ? "as stated in the file" : re.LatencyRecomputable ? "recomputed from the per-request arrays"
                : "TTFT and ITL recomputed from the per-request arrays; E2EL and TPOT as stated (the file has no per-request latencies)",
            ZeroTokenRequests = re?.ZeroTokenRequests, MeanTtftMsWithTokens = re is { ZeroTokenRequests: > 0 } ? re.MeanTtftMsWithTokens : null,
            ItlTokensPerChunk = re?.TokensPerChunk,
            ItlNote = re?.TokensPerChunk is { } tpc
                ? $"ITL is the time between streamed chunks, not per token: {Fmt.N(re.ItlSamples)} ITL samples for {Fmt.N(re.DecodeTokens)} decode tokens (~{Fmt.N(tpc, 1)} tokens per chunk)"
                : null,
            MeetsSlo = meets, SloChecks = checks, GoodputRps = goodput, GoodputNote = goodputNote,
            CostPerRequest = hourly is { } h ? CostModel.PerRequest(h, p.RequestThroughput) : null,
            CostPerGoodRequest = goodput is > 0 && hourly is { } h2 ? CostModel.PerRequest(h2, goodput.Value) : null,
            CostPer1MOutputTokens = hourly is { } h3 ? CostModel.Per1MTokens(h3, p.OutputThroughput) : null,
            CostPer1MTotalTokens = hourly is { } h4 ? CostModel.Per1MTokens(h4, p.TotalTokenThroughput) : null,
            UsefulFraction = offered is > 0 ? p.Completed / offered : null,
            CostPerOfferedRequest = offered is > 0 && hourly is { } h5 ? CostModel.PerRequest(h5, offered.Value / p.Duration) : null,
            Discrepancies = re is not null ? Discrepancy.Find(p, re) : [],
            LengthBuckets = p.Requests is { } a2 ? LengthBuckets.Compute(a2) : [],
        };
        point = AboveSol(SolForPoint(point, o), o);
        return point with { Diagnosis = Diagnose.Point(point, o) };
    }

    /// <summary>Faster than speed of light means the bound's inputs are wrong; these are the usual reasons, in words.</summary>
    private static PointAnalysis AboveSol(PointAnalysis p, AnalysisOptions o)
    {
        var causes = new List<string>();
        if (p.SolFraction > 1)
            causes.AddRange([
                "quantized weights the config does not declare (give --weight-dtype)",
                "speculative decoding (several tokens per decode step)",
                o.Deployment.Disaggregated ? "more decode GPUs than --decode-gpus/--decode-tp say" : "more GPUs or replicas than --gpus/--tp/--decode-replicas say",
                "a different (smaller) model than --model",
            ]);
        if (p.SolTtftMs is { } st && p.Latency("median", "ttft") is > 0 and var ttft && ttft < st)
            causes.AddRange(["prefix caching (prompt tokens served from cache, not computed)", "a prefill pool larger than stated"]);
        return causes.Count == 0 ? p : p with { AboveSol = true, AboveSolCauses = causes.Distinct().ToList() };
    }

    private static PointAnalysis SolForPoint(PointAnalysis p, AnalysisOptions o)
    {
        if (o.Sol is not { } sol || p.Concurrency is not { } c || c <= 0) return p;
        var batch = Math.Max(1, (int)Math.Round(c / o.DecodeReplicas));
        var context = p.MeanInputTokens + p.MeanOutputTokens / 2;
        var step = sol.Decode(batch, context);
        var solOut = o.DecodeReplicas * step.AggregateTokensPerSecond;
        var prefill = o.PrefillSol!.PrefillSeconds(p.MeanInputTokens);
        var decodeSecondsPerRequest = p.MeanOutputTokens * step.StepSeconds / batch;
        // Aggregated: one replica spends both phases' time on a request. Disaggregated: each pool is its own bound.
        var solRequests = o.Deployment.Disaggregated
            ? Math.Min(o.Deployment.PrefillReplicas / prefill, o.DecodeReplicas / decodeSecondsPerRequest)
            : o.DecodeReplicas / (prefill + decodeSecondsPerRequest);
        return p with
        {
            SolOutputThroughput = solOut, SolFraction = p.OutputThroughput / solOut,
            SolRequestThroughput = solRequests,
            SolTpotMs = step.StepSeconds * 1000, SolTtftMs = prefill * 1000, SolBound = step.Bound,
            SolBatchPerReplica = batch, SolContext = context,
            SolWeightGbPerGpu = step.WeightBytesPerGpu / 1e9, SolKvGbPerGpu = step.KvBytesPerGpu / 1e9,
            SolEnergyPerOutputTokenJ = sol.Hardware.BoardWattsAt(step.Bound) is { } watts
                ? Micro.Core.Context.PowerWindow.EnergyPerToken(watts * sol.TensorParallel, step.StepSeconds, batch) : null,
        };
    }
}
