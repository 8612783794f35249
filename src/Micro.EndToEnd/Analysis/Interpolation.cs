using Micro.EndToEnd.Cost;

namespace Micro.EndToEnd.Analysis;

/// <summary>
/// The operating point between two measured points (asked for with --interpolate, labelled Interpolated): where the
/// last point meeting every SLO and the next one missing it bracket the threshold, the concurrency at which the
/// binding objective reaches its threshold, assuming latency and throughput vary linearly in log2(concurrency).
/// It is an estimate, not a measurement: the measured operating point stays beside it.
/// </summary>
public static class Interpolation
{
    public static ChosenPoint? OperatingPoint(IReadOnlyList<PointAnalysis> points, AnalysisOptions o)
    {
        if (o.Slos.Count == 0) return null;
        ChosenPoint? best = null;
        for (var i = 0; i + 1 < points.Count; i++)
        {
            var (a, b) = (points[i], points[i + 1]);
            if (a.MeetsSlo != true || b.MeetsSlo != false || a.Concurrency is not > 0 || b.Concurrency is not > 0 || a.Concurrency >= b.Concurrency) continue;
            var f = 1.0;
            foreach (var s in o.Slos)
            {
                var (va, vb) = (a.Latency(s.Stat, s.Metric), b.Latency(s.Stat, s.Metric));
                if (va is null || vb is null) { f = double.NaN; break; }
                if (vb > s.ThresholdMs && vb > va) f = Math.Min(f, (s.ThresholdMs - va.Value) / (vb.Value - va.Value));
            }
            if (!(f is > 0 and < 1)) continue;
            var conc = Math.Pow(2, Math.Log2(a.Concurrency.Value) + f * (Math.Log2(b.Concurrency.Value) - Math.Log2(a.Concurrency.Value)));
            var rps = a.RequestThroughput + f * (b.RequestThroughput - a.RequestThroughput);
            var outTput = a.OutputThroughput + f * (b.OutputThroughput - a.OutputThroughput);
            MonthlyCost? m = null;
            if (o.RequestsPerMonth is { } rpm && o.DollarsPerHour is { } perHour)
            {
                var tokens = a.MeanInputTokens + a.MeanOutputTokens;
                m = CostModel.Monthly(rpm, o.PeakFactor, rps, perHour, o.PricePerRequest ?? (o.PricePer1MTokens is { } pt ? pt * tokens / 1e6 : null));
            }
            var c = new ChosenPoint
            {
                Index = i, Source = $"interpolated between {Path.GetFileName(a.Source)} and {Path.GetFileName(b.Source)} at {f:0.###} of the way (log2 concurrency)",
                Concurrency = conc, OutputThroughput = outTput, RequestThroughput = rps, CostPerRequest = o.DollarsPerHour is { } h ? CostModel.PerRequest(h, rps) : null,
                MeetsSlo = true, Interpolated = true, UnitMonthlyCost = m?.UnitMonthlyCost, ProvisionedMonthlyCost = m?.ProvisionedMonthlyCost,
                MonthlyCostDelta = m?.MonthlyCostDelta, Replicas = m?.Replicas, Margin = m?.Margin, Monthly = m,
            };
            if (best is null || c.RequestThroughput > best.RequestThroughput) best = c;
        }
        return best;
    }
}
