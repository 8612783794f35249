using Micro.EndToEnd.Ingest;

namespace Micro.EndToEnd.Metrics;

/// <summary>
/// Latency metrics recomputed from per-request arrays with vLLM's definitions: over successful requests,
/// TPOT = (e2el - ttft) / (output_len - 1) for output_len &gt; 1, ITL = every chunk gap pooled, E2EL = latency.
/// E2EL and TPOT need each request's own latency: a file without `latencies` (vLLM 0.5's benchmark_serving) cannot
/// give them (TTFT + sum(ITL) misses the time after the last chunk), so they are left out, not rebuilt.
/// </summary>
public sealed record RecomputedMetrics
{
    public required int Successful { get; init; }
    public required int Failed { get; init; }
    public required long InputTokens { get; init; }
    public required long OutputTokens { get; init; }
    public required IReadOnlyDictionary<string, MetricStats> ByMetric { get; init; }
    /// <summary>True when the file has per-request latencies, so E2EL and TPOT are recomputable.</summary>
    public required bool LatencyRecomputable { get; init; }
    /// <summary>Successful requests that returned no token: TPOT is undefined for them, and they are no useful work.</summary>
    public required int ZeroTokenRequests { get; init; }
    /// <summary>Mean TTFT over the successful requests that returned at least one token, ms (null when none did).</summary>
    public double? MeanTtftMsWithTokens { get; init; }
    /// <summary>ITL samples (chunk gaps) and decode tokens (output_len - 1 per request): fewer gaps than tokens means multi-token chunks.</summary>
    public required long ItlSamples { get; init; }
    public required long DecodeTokens { get; init; }
    /// <summary>Per request (successful only): ttft, tpot (0 where output_len is 1, as vLLM's goodput uses it; NaN for 0 tokens), e2el, in ms.
    /// TpotMs and E2elMs are null when the file has no per-request latencies.</summary>
    public required double[] TtftMs { get; init; }
    /// <summary>Per successful request: true where it returned no token.</summary>
    public required bool[] NoTokens { get; init; }
    public required double[]? TpotMs { get; init; }
    public required double[]? E2elMs { get; init; }

    /// <summary>Decode tokens per streamed chunk when the server sent several per chunk (at least 1.1 on average), else null.</summary>
    public double? TokensPerChunk => ItlSamples > 0 && DecodeTokens > 1.1 * ItlSamples ? (double)DecodeTokens / ItlSamples : null;

    public double? Get(string metric, string stat) => ByMetric.TryGetValue(metric, out var m) ? m.Get(stat) : null;

    public static RecomputedMetrics From(RequestArrays a)
    {
        var n = a.Count;
        var hasLatency = a.Latencies is not null;
        var ttft = new List<double>(n);
        var noTokens = new List<bool>(n);
        var tpotAll = new List<double>(n);
        var tpot = new List<double>(n);
        var e2el = new List<double>(n);
        var itlCount = 0;
        for (var i = 0; i < n; i++) if (!a.Failed[i]) itlCount += a.ItlOffsets[i + 1] - a.ItlOffsets[i];
        var itl = new double[itlCount];
        var k = 0;
        long inTok = 0, outTok = 0, decodeTokens = 0;
        int failed = 0, zeroToken = 0;
        double ttftWithTokens = 0;
        for (var i = 0; i < n; i++)
        {
            if (a.Failed[i]) { failed++; continue; }
            var ol = a.OutputLens[i];
            inTok += a.InputLens[i];
            outTok += ol;
            decodeTokens += Math.Max(0, ol - 1);
            if (ol == 0) zeroToken++;
            else ttftWithTokens += a.Ttfts[i];
            ttft.Add(a.Ttfts[i]);
            noTokens.Add(ol == 0);
            if (hasLatency)
            {
                var lat = a.Latencies![i];
                var t = ol == 0 ? double.NaN : 0;
                if (ol > 1)
                {
                    t = (lat - a.Ttfts[i]) / (ol - 1);
                    tpot.Add(t);
                }
                tpotAll.Add(t);
                e2el.Add(lat);
            }
            var len = a.ItlOffsets[i + 1] - a.ItlOffsets[i];
            Array.Copy(a.ItlFlat, a.ItlOffsets[i], itl, k, len);
            k += len;
        }
        var ttftArr = ttft.ToArray();
        var byMetric = new Dictionary<string, MetricStats>
        {
            ["ttft"] = MetricStats.FromSeconds(ttftArr),
            ["itl"] = MetricStats.FromSeconds(itl),
        };
        double[]? e2elArr = null;
        if (hasLatency)
        {
            e2elArr = e2el.ToArray();
            byMetric["tpot"] = MetricStats.FromSeconds([.. tpot]);
            byMetric["e2el"] = MetricStats.FromSeconds(e2elArr);
        }
        var withTokens = n - failed - zeroToken;
        return new RecomputedMetrics
        {
            Successful = n - failed, Failed = failed, InputTokens = inTok, OutputTokens = outTok, ByMetric = byMetric,
            LatencyRecomputable = hasLatency, ZeroTokenRequests = zeroToken,
            MeanTtftMsWithTokens = withTokens > 0 ? ttftWithTokens / withTokens * 1000 : null,
            ItlSamples = itlCount, DecodeTokens = decodeTokens,
            TtftMs = Scale(ttftArr), NoTokens = [.. noTokens], TpotMs = hasLatency ? Scale([.. tpotAll]) : null, E2elMs = e2elArr is null ? null : Scale(e2elArr),
        };
    }

    private static double[] Scale(double[] s)
    {
        var r = new double[s.Length];
        for (var i = 0; i < s.Length; i++) r[i] = s[i] * 1000;
        return r;
    }
}
