namespace Micro.EndToEnd.Metrics;

/// <summary>
/// vLLM's goodput: requests per second whose own TTFT, TPOT and E2EL each meet their SLO threshold (a per-request
/// test; the SLO's percentile is judged separately). ITL has no per-request value in vLLM, so an ITL SLO leaves
/// goodput unknown rather than invented.
/// </summary>
public static class Goodput
{
    public static (double? Rps, long? GoodRequests, string? Why) Compute(RecomputedMetrics m, IReadOnlyList<SloSpec> slos, double durationS)
    {
        if (slos.Count == 0) return (null, null, "no SLO given");
        if (slos.Any(s => s.Metric == "itl")) return (null, null, "an ITL objective has no per-request value (vLLM's goodput covers ttft, tpot, e2el)");
        if (m.TpotMs is null || m.E2elMs is null)
        {
            if (slos.Any(s => s.Metric is "tpot" or "e2el"))
                return (null, null, "the file has no per-request latencies, so per-request TPOT and E2EL are unknown");
        }
        long good = 0;
        for (var i = 0; i < m.TtftMs.Length; i++)
        {
            // A zero-token reply is no useful work, whatever its latencies.
            var ok = !m.NoTokens[i];
            foreach (var s in slos)
            {
                var v = s.Metric switch { "ttft" => m.TtftMs[i], "tpot" => m.TpotMs![i], _ => m.E2elMs![i] };
                if (!(v <= s.ThresholdMs)) { ok = false; break; }
            }
            if (ok) good++;
        }
        return (good / durationS, good, null);
    }
}
