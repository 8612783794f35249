using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>With few (run, metric) pairs per fitted parameter, a calibration's residuals understate its error elsewhere;
/// the intervals then come from leaving each run out in turn and predicting it from the rest.</summary>
public class LeaveOneRunOutTests
{
    private static CalibrationResult Result(int runs, int fitted) => new(
        PhysicalParameters.Prior(false),
        PhysicalParameters.Specs.Select((s, i) => new FittedParameter(s.Name, s.Unit, 0, 0, s.Min, s.Max, i < fitted, "", s.Meaning)).ToList(),
        Enumerable.Range(0, runs * 3).Select(i => new MetricComparison($"r{i / 3}", 4, null, RunMetrics.Fitted[i % 3], 1, 1)).ToList(),
        0, Enumerable.Range(0, runs).Select(_ => (RunDeployment)null!).ToList());

    [Theory]
    [InlineData(3, 7, true)]   // 9 pairs, 2 left over
    [InlineData(3, 5, true)]   // 9 pairs, 4 left over: fewer than half
    [InlineData(4, 6, false)]  // 12 pairs, 6 left over
    [InlineData(15, 10, false)] // the xhw calibration: 45 pairs
    [InlineData(1, 3, false)]  // nothing to leave out
    [InlineData(9, 10, false)] // 27 pairs for 10 parameters: 17 left over
    public void ItAppliesWhereTheFittedParametersAreHalfThePairsOrMore(int runs, int fitted, bool applies) =>
        Assert.Equal(applies, LeaveOneRunOut.Applies(Result(runs, fitted)));

    [Fact]
    public void ThreeNoisyRunsGetIntervalsFromTheRunsLeftOutAndTheyHoldTheHeldOutRuns()
    {
        var setup = PredictionFixtures.Setup();
        var truth = new ServingModel(setup, PredictionFixtures.Params(bw: 0.7, gemm: 0.5, stepMs: 1.5, perSeqUs: 20, prefillMs: 30, launchUs: 1.0));
        var rng = new Random(11);
        BenchmarkPoint Run(int c) => PredictionIntervalTests.Noisy(
            PredictionCalibrationTests.Synthetic(truth, new LoadShape(c, null, 4 * c), new LengthSampler(1024, 128), $"c{c}.json"), rng, 0.05);
        var calibrate = new[] { 2, 8, 32 }.Select(Run).ToList();
        var held = new[] { 3, 4, 6, 12, 16, 24 }.Select(Run).ToList();
        var lines = new List<string>();
        var r = Predictor.Run(new PredictionRequest
        {
            Setup = setup, Loads = [new LoadShape(4, null, 8)], Lengths = new LengthSampler(1024, 128), Calibrate = calibrate, Check = held, Progress = lines.Add,
        });
        Assert.Equal(3, lines.Count(l => l.StartsWith("calibration: leaving out run ", StringComparison.Ordinal)));
        var note = Assert.Single(r.Sources, s => s.StartsWith("intervals: 9 (run, metric) pairs for ", StringComparison.Ordinal));
        Assert.Contains("each run left out in turn", note);
        // Every spread used is at least the residuals' own.
        var residual = PredictionIntervals.Spreads(r.Calibration!);
        foreach (var used in r.CalibrationOut!.Spreads)
            Assert.True(PredictionIntervals.Effective(used) >= PredictionIntervals.Effective(residual.Single(x => x.Metric == used.Metric)) - 1e-12, used.Metric);
        var judged = r.Check!.Rows.Where(x => RunMetrics.Fitted.Contains(x.Metric)).ToList();
        Assert.Equal(18, judged.Count);
        Assert.InRange(judged.Count(x => x.Inside == true) * 100.0 / judged.Count, 80, 100);
    }
}
