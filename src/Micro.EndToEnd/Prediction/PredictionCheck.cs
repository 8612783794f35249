using Micro.Core.Statistics;
using Micro.EndToEnd.Ingest;

namespace Micro.EndToEnd.Prediction;

/// <summary>Error summary of one metric over the checked points.</summary>
public sealed record CheckSummary(string Metric, int Points, double MedianAbsErrorPercent, double MaxAbsErrorPercent);

public sealed record CheckResult(IReadOnlyList<MetricComparison> Rows, IReadOnlyList<CheckSummary> Summary);

/// <summary>--check: each real run replayed with the (fitted) model, per point and metric measured vs predicted.</summary>
public static class PredictionCheck
{
    public static CheckResult Run(ServingModel model, IReadOnlyList<BenchmarkPoint> points, int seed)
    {
        var sims = new SimulationResult[points.Count];
        Parallel.For(0, points.Count, i =>
        {
            var (load, lengths) = RunMetrics.Workload(points[i], seed);
            sims[i] = model.Simulate(load, lengths);
        });
        var rows = new List<MetricComparison>();
        for (var i = 0; i < points.Count; i++)
            foreach (var metric in RunMetrics.Checked)
                if (RunMetrics.Measured(points[i], metric) is > 0 and var measured)
                    rows.Add(new MetricComparison(points[i].Source, RunMetrics.Concurrency(points[i]), points[i].RequestRate, metric, measured, RunMetrics.Predicted(sims[i], metric)));
        var summary = rows.GroupBy(r => r.Metric).Select(g =>
        {
            var abs = g.Select(r => Math.Abs(r.ErrorPercent)).Order().ToArray();
            return new CheckSummary(g.Key, abs.Length, Stats.Percentile(abs, 50), abs[^1]);
        }).ToList();
        return new CheckResult(rows, summary);
    }
}
