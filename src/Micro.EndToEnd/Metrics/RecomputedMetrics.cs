using Micro.EndToEnd.Ingest;

namespace Micro.EndToEnd.Metrics;

/// <summary>
/// Latency metrics recomputed from per-request arrays with vLLM's definitions: over successful requests,
/// TPOT = (e2el - ttft) / (output_len - 1) for output_len &gt; 1, ITL = every chunk gap pooled, E2EL = latency.
/// </summary>
public sealed record RecomputedMetrics
{
    public required int Successful { get; init; }
    public required int Failed { get; init; }
    public required long InputTokens { get; init; }
    public required long OutputTokens { get; init; }
    public required IReadOnlyDictionary<string, MetricStats> ByMetric { get; init; }
    /// <summary>Per request (successful only): ttft, tpot (0 where output_len &lt;= 1, as vLLM's goodput uses it), e2el, in ms.</summary>
    public required double[] TtftMs { get; init; }
    public required double[] TpotMs { get; init; }
    public required double[] E2elMs { get; init; }

    public double? Get(string metric, string stat) => ByMetric.TryGetValue(metric, out var m) ? m.Get(stat) : null;

    public static RecomputedMetrics From(RequestArrays a)
    {
        var n = a.Count;
        var ttft = new List<double>(n);
        var tpotAll = new List<double>(n);
        var tpot = new List<double>(n);
        var e2el = new List<double>(n);
        var itlCount = 0;
        for (var i = 0; i < n; i++) if (!a.Failed[i]) itlCount += a.ItlOffsets[i + 1] - a.ItlOffsets[i];
        var itl = new double[itlCount];
        var k = 0;
        long inTok = 0, outTok = 0;
        var failed = 0;
        for (var i = 0; i < n; i++)
        {
            if (a.Failed[i]) { failed++; continue; }
            var lat = a.Latency(i);
            var ol = a.OutputLens[i];
            inTok += a.InputLens[i];
            outTok += ol;
            double t = 0;
            if (ol > 1)
            {
                t = (lat - a.Ttfts[i]) / (ol - 1);
                tpot.Add(t);
            }
            tpotAll.Add(t);
            ttft.Add(a.Ttfts[i]);
            e2el.Add(lat);
            var len = a.ItlOffsets[i + 1] - a.ItlOffsets[i];
            Array.Copy(a.ItlFlat, a.ItlOffsets[i], itl, k, len);
            k += len;
        }
        var ttftArr = ttft.ToArray();
        var e2elArr = e2el.ToArray();
        return new RecomputedMetrics
        {
            Successful = n - failed, Failed = failed, InputTokens = inTok, OutputTokens = outTok,
            ByMetric = new Dictionary<string, MetricStats>
            {
                ["ttft"] = MetricStats.FromSeconds(ttftArr),
                ["tpot"] = MetricStats.FromSeconds([.. tpot]),
                ["itl"] = MetricStats.FromSeconds(itl),
                ["e2el"] = MetricStats.FromSeconds(e2elArr),
            },
            TtftMs = Scale(ttftArr), TpotMs = Scale([.. tpotAll]), E2elMs = Scale(e2elArr),
        };
    }

    private static double[] Scale(double[] s)
    {
        var r = new double[s.Length];
        for (var i = 0; i < s.Length; i++) r[i] = s[i] * 1000;
        return r;
    }
}
