using Micro.EndToEnd.Ingest;

namespace Micro.EndToEnd.Metrics;

/// <summary>One power-of-two bucket of input and output lengths: heterogeneous traffic hides behind one average.</summary>
public sealed record LengthBucket(int InputFrom, int InputTo, int OutputFrom, int OutputTo, int Count,
    double MeanTtftMs, double P99TtftMs, double? MeanTpotMs, double? P99TpotMs, double? MeanE2elMs);

public static class LengthBuckets
{
    public static IReadOnlyList<LengthBucket> Compute(RequestArrays a)
    {
        var groups = new Dictionary<(int, int), List<int>>();
        for (var i = 0; i < a.Count; i++)
        {
            if (a.Failed[i]) continue;
            var key = (Log2Floor(a.InputLens[i]), Log2Floor(a.OutputLens[i]));
            if (!groups.TryGetValue(key, out var list)) groups[key] = list = [];
            list.Add(i);
        }
        var result = new List<LengthBucket>();
        foreach (var ((ib, ob), idx) in groups.OrderBy(g => g.Key.Item1).ThenBy(g => g.Key.Item2))
        {
            var ttft = idx.Select(i => a.Ttfts[i]).ToArray();
            var t = MetricStats.FromSeconds(ttft);
            double? meanTpot = null, p99Tpot = null, meanE2el = null;
            // E2EL and TPOT only from the file's own latencies (see RequestArrays.Latencies).
            if (a.Latencies is { } lat)
            {
                var p = MetricStats.FromSeconds(idx.Where(i => a.OutputLens[i] > 1).Select(i => (lat[i] - a.Ttfts[i]) / (a.OutputLens[i] - 1)).ToArray());
                (meanTpot, p99Tpot, meanE2el) = (p.Mean, p.Percentile(99), idx.Average(i => lat[i]) * 1000);
            }
            result.Add(new LengthBucket(Low(ib), High(ib), Low(ob), High(ob), idx.Count, t.Mean, t.Percentile(99), meanTpot, p99Tpot, meanE2el));
        }
        return result;
    }

    private static int Log2Floor(int v) => v <= 0 ? -1 : 31 - int.LeadingZeroCount(v);
    private static int Low(int b) => b < 0 ? 0 : 1 << b;
    private static int High(int b) => b < 0 ? 0 : (1 << (b + 1)) - 1;
}
