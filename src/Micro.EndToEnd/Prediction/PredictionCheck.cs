using Micro.Core.Statistics;
using Micro.EndToEnd.Ingest;

namespace Micro.EndToEnd.Prediction;

/// <summary>Error summary of one metric over the checked points; Inside/WithInterval count measured values inside the stated intervals.</summary>
public sealed record CheckSummary(string Metric, int Points, double MedianAbsErrorPercent, double MaxAbsErrorPercent)
{
    public int WithInterval { get; init; }
    public int Inside { get; init; }
}

public sealed record CheckResult(IReadOnlyList<MetricComparison> Rows, IReadOnlyList<CheckSummary> Summary, IReadOnlyList<RunDeployment> Deployments)
{
    /// <summary>The runs whose simulation filled its KV cache (SimulationResult.RanOutOfKv).</summary>
    public IReadOnlyList<string> RanOutOfKv { get; init; } = [];
}

/// <summary>--check: each real run replayed on its own deployment with the (fitted) model, per point and metric measured vs predicted, with the interval.</summary>
public static class PredictionCheck
{
    public static CheckResult Run(RunDeployments deployments, PhysicalParameters parameters, IReadOnlyList<BenchmarkPoint> points, int seed,
        Func<RunDeployment, BenchmarkPoint, SimulationResult, string, double, (double Low, double High)?>? interval = null)
    {
        var deps = points.Select(deployments.Resolve).ToArray();
        var sims = new SimulationResult[points.Count];
        Parallel.For(0, points.Count, i =>
        {
            var (load, lengths) = RunMetrics.Workload(points[i], seed, deployments.RangeRatio);
            sims[i] = deployments.Model(deps[i], parameters).Simulate(load, lengths);
        });
        var rows = new List<MetricComparison>();
        for (var i = 0; i < points.Count; i++)
            foreach (var metric in RunMetrics.Checked)
                if (RunMetrics.Measured(points[i], metric) is > 0 and var measured)
                {
                    var predicted = deployments.Predicted(sims[i], metric);
                    rows.Add(new MetricComparison(points[i].Source, RunMetrics.Concurrency(points[i]), points[i].RequestRate, metric, measured, predicted)
                        { Deployment = deps[i].Label, Interval = interval?.Invoke(deps[i], points[i], sims[i], metric, predicted) });
                }
        var summary = rows.GroupBy(r => r.Metric).Select(g =>
        {
            var abs = g.Select(r => Math.Abs(r.ErrorPercent)).Order().ToArray();
            return new CheckSummary(g.Key, abs.Length, Stats.Percentile(abs, 50), abs[^1])
                { WithInterval = g.Count(r => r.Interval is not null), Inside = g.Count(r => r.Inside == true) };
        }).ToList();
        return new CheckResult(rows, summary, deps) { RanOutOfKv = [.. points.Where((_, i) => sims[i].RanOutOfKv).Select(p => p.Source)] };
    }
}
