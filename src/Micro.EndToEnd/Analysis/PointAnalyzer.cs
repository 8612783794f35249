using Micro.EndToEnd.Cost;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Metrics;

namespace Micro.EndToEnd.Analysis;

/// <summary>Analyzes one benchmark point: latencies used, SLO verdict, goodput, speed of light, cost, diagnosis.</summary>
public static class PointAnalyzer
{
    private static readonly string[] DefaultStats = ["mean", "median", "std", "p90", "p95", "p99", "p99.9"];

    public static PointAnalysis Analyze(BenchmarkPoint p, AnalysisOptions o)
    {
        var re = p.Requests is { } arrays ? RecomputedMetrics.From(arrays) : null;
        var latency = new Dictionary<string, double>(StringComparer.Ordinal);
        if (re is not null)
        {
            var stats = DefaultStats.Concat(p.StatedMs.Keys.Select(k => k.Stat)).Concat(o.Slos.Select(s => s.Stat)).Distinct().ToList();
            foreach (var metric in StatedMetricKey.Metrics)
                foreach (var stat in stats)
                    if (re.Get(metric, stat) is { } v) latency[$"{stat}_{metric}"] = v;
        }
        else
        {
            foreach (var ((metric, stat), v) in p.StatedMs) latency[$"{stat}_{metric}"] = v;
        }
        double? Lat(string stat, string metric) => latency.TryGetValue($"{stat}_{metric}", out var v) ? v : null;

        var meanE2el = Lat("mean", "e2el");
        double? concurrency = p.MaxConcurrency is { } mc ? mc : meanE2el is { } e ? p.RequestThroughput * e / 1000 : null;
        var concSource = p.MaxConcurrency is not null ? "max_concurrency" : concurrency is not null ? "measured average in flight (request throughput x mean E2EL)" : "unknown";

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
            RequestRate = p.RequestRate, Duration = p.Duration, Completed = p.Completed, Failed = failed,
            MeanInputTokens = p.MeanInputTokens, MeanOutputTokens = p.MeanOutputTokens,
            OutputThroughput = p.OutputThroughput, TotalTokenThroughput = p.TotalTokenThroughput, RequestThroughput = p.RequestThroughput,
            OutputThroughputPerGpu = p.OutputThroughput / o.Gpus,
            PerUserTokensPerSecond = Lat("mean", "tpot") is > 0 and var tp ? 1000 / tp : null,
            LatencyMs = latency, LatencySource = re is not null ? "recomputed from the per-request arrays" : "as stated in the file",
            MeetsSlo = meets, SloChecks = checks, GoodputRps = goodput, GoodputNote = goodputNote,
            CostPerRequest = CostModel.PerRequest(hourly, p.RequestThroughput),
            CostPerGoodRequest = goodput is > 0 ? CostModel.PerRequest(hourly, goodput.Value) : null,
            CostPer1MOutputTokens = CostModel.Per1MTokens(hourly, p.OutputThroughput),
            CostPer1MTotalTokens = CostModel.Per1MTokens(hourly, p.TotalTokenThroughput),
            UsefulFraction = offered is > 0 ? p.Completed / offered : null,
            CostPerOfferedRequest = offered is > 0 ? CostModel.PerRequest(hourly, offered.Value / p.Duration) : null,
            Discrepancies = re is not null ? Discrepancy.Find(p, re) : [],
            LengthBuckets = p.Requests is { } a2 ? LengthBuckets.Compute(a2) : [],
        };
        point = SolForPoint(point, o);
        return point with { Diagnosis = Diagnose.Point(point, o) };
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
