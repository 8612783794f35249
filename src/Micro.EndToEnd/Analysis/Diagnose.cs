namespace Micro.EndToEnd.Analysis;

/// <summary>The diagnosis in words: where the time goes against speed of light, and what the SLO costs.</summary>
public static class Diagnose
{
    /// <summary>ITL p99 over median above this suggests decode steps stalled by prefill work.</summary>
    public const double JitterThreshold = 1.5;

    public static IReadOnlyList<string> Point(PointAnalysis p, AnalysisOptions o)
    {
        var lines = new List<string>();
        var tpot = p.Latency("mean", "tpot");
        if (p.AboveSol)
            lines.Add($"Above speed of light: output {Fmt.Pct(p.SolFraction)} of the decode bound" +
                      (p.SolTtftMs is { } bound ? $", median TTFT {Fmt.N(p.Latency("median", "ttft"), 1)} ms vs a prefill bound of {Fmt.N(bound, 2)} ms" : "") +
                      $". No real run beats the bound, so an assumption is wrong; likely: {string.Join("; ", p.AboveSolCauses)}.");
        else if (tpot is { } t && p.SolTpotMs is { } st)
            lines.Add($"TPOT mean {Fmt.N(t, 2)} ms vs decode speed of light {Fmt.N(st, 3)} ms per step ({p.SolBound}-bound: " +
                      $"{Fmt.N(p.SolWeightGbPerGpu, 2)} GB weights + {Fmt.N(p.SolKvGbPerGpu, 2)} GB KV per GPU at batch {p.SolBatchPerReplica}): " +
                      $"{Fmt.Pct((t - st) / t)} of each step is above the floor; output {Fmt.Pct(p.SolFraction)} of speed of light.");
        var ttft = p.Latency("mean", "ttft");
        if (ttft is { } tt && p.SolTtftMs is { } sp)
            lines.Add($"TTFT mean {Fmt.N(tt, 1)} ms (median {Fmt.N(p.Latency("median", "ttft"), 1)}, p99 {Fmt.N(p.Latency("p99", "ttft"), 1)}) vs prefill speed of light {Fmt.N(sp, 2)} ms " +
                      $"for {Fmt.N(p.MeanInputTokens)} prompt tokens" +
                      (o.Deployment.Disaggregated ? $" on the prefill pool (TP {o.Deployment.PrefillTensorParallel})" : "") +
                      $": {Fmt.Pct(Math.Max(0, tt - sp) / tt)} of TTFT is queueing, " + (o.Deployment.Disaggregated ? "KV transfer to the decode pool" : "transfer") + " and overhead.");
        if (p.Latency("median", "itl") is > 0 and var med && p.Latency("p99", "itl") is { } p99)
        {
            var j = p99 / med;
            if (o.Deployment.Disaggregated)
                lines.Add(j > JitterThreshold
                    ? $"ITL p99/median = {Fmt.N(j, 2)} ({Fmt.N(p99, 1)} / {Fmt.N(med, 1)} ms): decode steps are stalled now and then; prefill runs on its own pool here, so not prefill interference: " +
                      "more likely requests joining the decode batch as their KV cache arrives from the prefill pool, or scheduling on the decode pool."
                    : $"ITL p99/median = {Fmt.N(j, 2)}: steady decode on the decode pool (prefill runs on its own pool).");
            else
                lines.Add(j > JitterThreshold
                    ? $"ITL p99/median = {Fmt.N(j, 2)} ({Fmt.N(p99, 1)} / {Fmt.N(med, 1)} ms): decode steps are stalled now and then, consistent with prefill interference."
                    : $"ITL p99/median = {Fmt.N(j, 2)}: steady decode, little prefill interference.");
        }
        if (p.ItlNote is { } itl) lines.Add(itl + ".");
        if (p.ZeroTokenRequests is > 0 and var z)
            lines.Add($"{Fmt.N(z)} of {Fmt.N(p.Completed)} completed requests returned 0 tokens: no useful work and no TPOT; their TTFT pulls the mean TTFT " +
                      $"({Fmt.N(p.Latency("mean", "ttft"), 1)} ms) down: the {Fmt.N(p.Completed - z)} that returned tokens average {Fmt.N(p.MeanTtftMsWithTokens, 1)} ms.");
        if (p.LatencyProvenance.Values.Contains(PointAnalyzer.StatedNotRecomputable))
            lines.Add("Per-request E2EL and TPOT are not recomputable from this file (it has no per-request latencies): its stated E2EL/TPOT statistics are used as they are; TTFT, ITL and throughput are recomputed.");
        foreach (var c in p.SloChecks.Where(c => c.Met == false))
            lines.Add($"Misses {c.Slo}: measured {Fmt.N(c.ValueMs, 2)} ms.");
        if (p.Failed is > 0)
            lines.Add($"{Fmt.N(p.Failed)} of {Fmt.N(p.Completed + p.Failed.Value)} requests failed and are not useful work: {Fmt.Usd(p.CostPerOfferedRequest)} per offered request vs {Fmt.Usd(p.CostPerRequest)} per completed one.");
        foreach (var d in p.Discrepancies)
            lines.Add($"The file states {d.Field} = {Fmt.N(d.Stated, 4)} but its own per-request arrays give {Fmt.N(d.Recomputed, 4)} ({Fmt.Pct(d.RelativeDifference, 2)} off).");
        return lines;
    }

    public static IReadOnlyList<string> Overall(AnalysisResult r, AnalysisOptions o)
    {
        var lines = new List<string>();
        var pts = r.Points;
        var top = r.ThroughputOptimal;
        var topPoint = pts[top.Index];
        lines.Add($"Throughput-optimal: concurrency {Fmt.Conc(top.Concurrency)} at {Fmt.N(top.OutputThroughput)} output tok/s " +
                  $"({Fmt.N(topPoint.OutputThroughputPerGpu)} per GPU), {Fmt.Usd(topPoint.CostPer1MOutputTokens)} per 1M output tokens, {Fmt.Usd(top.CostPerRequest)} per request.");
        if (r.ClosestToSol is { } closest)
            lines.Add($"Closest to speed of light: concurrency {Fmt.Conc(closest.Concurrency)} at {Fmt.Pct(pts[closest.Index].SolFraction)} of the decode bound ({r.SpeedOfLight!.HardwareLabel}).");
        var above = pts.Where(p => p.AboveSol).ToList();
        if (above.Count > 0)
            lines.Add($"{above.Count} point(s) above speed of light (concurrency {string.Join(", ", above.Select(p => Fmt.Conc(p.Concurrency)))}): " +
                      $"an assumption is wrong; likely: {string.Join("; ", above.SelectMany(p => p.AboveSolCauses).Distinct())}.");
        if (o.Slos.Count == 0) return lines;
        var slo = string.Join(" and ", o.Slos.Select(s => s.Text));
        if (r.OperatingPoint is not { } op)
        {
            lines.Add($"No measured point meets {slo}: {r.OperatingPointNote}");
            return lines;
        }
        if (top.MeetsSlo == false)
        {
            var miss = string.Join("; ", topPoint.SloChecks.Where(c => c.Met == false).Select(c => $"{c.Slo} measured {Fmt.N(c.ValueMs, 2)} ms"));
            lines.Add($"The throughput-optimal config (concurrency {Fmt.Conc(top.Concurrency)}) misses the SLO ({miss}). " +
                      $"At the SLO the cheapest config is concurrency {Fmt.Conc(op.Concurrency)}: {Fmt.Usd(op.CostPerRequest)} per request, " +
                      $"{Fmt.N(op.CostPerRequest / top.CostPerRequest, 2)}x the throughput headline's {Fmt.Usd(top.CostPerRequest)}.");
        }
        else lines.Add($"The throughput-optimal config also meets {slo}: it is the operating point.");
        if (r.InterpolatedOperatingPoint is { } ip)
            lines.Add($"Interpolated (an estimate, not measured): concurrency ~{Fmt.N(ip.Concurrency, 0)} would just meet the SLO at ~{Fmt.N(ip.RequestThroughput, 2)} req/s, {Fmt.Usd(ip.CostPerRequest)} per request ({ip.Source}).");
        if (op.Monthly is { } m && top.Monthly is { } tm)
        {
            var line = $"For {Fmt.N(m.RequestsPerMonth)} requests/month (peak x{Fmt.N(m.PeakFactor, 2)}): at the SLO, {m.Replicas} replica(s) of concurrency {Fmt.Conc(op.Concurrency)} " +
                       $"cost {Fmt.Usd(m.ProvisionedMonthlyCost)}/month provisioned ({Fmt.Usd(m.UnitMonthlyCost)} at full use; idle capacity {Fmt.Usd(m.MonthlyCostDelta)}).";
            if (top.MeetsSlo == false)
                line += $" The throughput headline would promise {Fmt.Usd(tm.ProvisionedMonthlyCost)}/month, {Fmt.Usd(m.ProvisionedMonthlyCost - tm.ProvisionedMonthlyCost)} less than the SLO really costs.";
            var dearest = pts.Select((p, i) => (p, i)).Where(x => x.p.MeetsSlo == true && x.i != op.Index).MinBy(x => x.p.RequestThroughput);
            if (dearest.p is not null && o.RequestsPerMonth is { } rpm)
            {
                var dm = CostModel(rpm, o, dearest.p.RequestThroughput);
                line += $" At the SLO the cheapest config costs {Fmt.Usd(dm - m.ProvisionedMonthlyCost)} less per month than the dearest config that also meets it (concurrency {Fmt.Conc(dearest.p.Concurrency)}, {Fmt.Usd(dm)}).";
            }
            if (m.Margin is { } mg) line += $" Gross margin at the operating point: {Fmt.Pct(mg)}.";
            lines.Add(line);
        }
        return lines;
    }

    private static double CostModel(double rpm, AnalysisOptions o, double capacity) =>
        Cost.CostModel.Monthly(rpm, o.PeakFactor, capacity, o.DollarsPerHour ?? double.NaN, null).ProvisionedMonthlyCost;
}
