using System.Globalization;
using Micro.Core.Results;
using Micro.EndToEnd.Ingest;

namespace Micro.EndToEnd.Prediction;

/// <summary>
/// The spread of a calibration's error on a run it did not see, where its own residuals cannot tell it: with few (run,
/// metric) pairs per fitted parameter, the fit follows the runs' noise and its residuals understate the error elsewhere
/// (MiniMax-M2.5's 1P1D sweep at c4/c32/c256: 9 pairs, 8 parameters, 0.6% RMS, while the runs between were 2-17% off and
/// 1 of 5 fell inside the intervals). Each run is left out in turn, the rest fitted from the same priors and the left-out
/// run predicted; a metric's spread is the larger of this and the residuals' (inflated for the fitted parameters).
/// </summary>
public static class LeaveOneRunOut
{
    /// <summary>At most this many runs are left out one by one (each costs a calibration); more runs leave enough pairs anyway.</summary>
    public const int MaxRuns = 8;

    /// <summary>The fits that leave one run out that a calibration of this many runs may add, each on all but one run
    /// (so each run is in this many of them): the work estimate counts them.</summary>
    public static int MayLeaveOut(int runs) => runs is >= 2 and <= MaxRuns ? runs - 1 : 0;

    /// <summary>When the residuals cannot be trusted: the fitted parameters are at least half the (run, metric) pairs.</summary>
    public static bool Applies(CalibrationResult c)
    {
        var pairs = c.Residuals.Count;
        var fitted = c.Table.Count(t => t.Fitted);
        return MayLeaveOut(c.Deployments.Count) > 0 && pairs - fitted < pairs / 2.0;
    }

    /// <summary>Spreads (log scale, no fitted parameters: each error is out of sample) per fitted metric, from every run
    /// whose complement still fits (a fit pinned at a bound counts: its error on the left-out run is what is measured);
    /// null when no complement fits.</summary>
    public static IReadOnlyList<MetricSpread>? Spreads(RunDeployments deployments, IReadOnlyList<BenchmarkPoint> runs, PhysicalParameters prior, int seed, Action<string>? progress)
    {
        var logs = new Dictionary<string, List<double>>();
        for (var i = 0; i < runs.Count; i++)
        {
            var rest = runs.Where((_, j) => j != i).ToList();
            CalibrationResult fit;
            try { fit = Calibrator.Fit(deployments, rest, prior, seed, keepPinned: true); }
            catch (InputException) { progress?.Invoke($"calibration: leaving out run {i + 1} of {runs.Count}: the rest do not fit; skipped"); continue; }
            var check = PredictionCheck.Run(deployments, fit.Parameters, [runs[i]], seed);
            foreach (var row in check.Rows.Where(r => RunMetrics.Fitted.Contains(r.Metric) && r.Predicted > 0 && r.Measured > 0))
            {
                if (!logs.TryGetValue(row.Metric, out var list)) logs[row.Metric] = list = [];
                list.Add(Math.Log(row.Predicted / row.Measured));
            }
            var errors = string.Join(", ", check.Rows.Where(r => RunMetrics.Fitted.Contains(r.Metric))
                .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Metric} {r.ErrorPercent:+0.0;-0.0}%")));
            progress?.Invoke($"calibration: leaving out run {i + 1} of {runs.Count} ({Path.GetFileName(runs[i].Source)}): {errors}");
        }
        return logs.Count == 0 ? null : logs.Select(kv => new MetricSpread(kv.Key, kv.Value.Count, 0, Math.Sqrt(kv.Value.Average(x => x * x)))).ToList();
    }

    /// <summary>Per metric the wider of the residuals' spread and the left-out runs' one.</summary>
    public static IReadOnlyList<MetricSpread> Wider(IReadOnlyList<MetricSpread> residual, IReadOnlyList<MetricSpread> leftOut) =>
        residual.Select(r => leftOut.FirstOrDefault(l => l.Metric == r.Metric) is { } l && PredictionIntervals.Effective(l) > PredictionIntervals.Effective(r) ? l : r).ToList();
}
