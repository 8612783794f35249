using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>
/// A fit whose best two starts both end pinned at a physical bound polishes the remaining starts before it refuses: a
/// bound can be a basin of the objective (the simulated median TTFT is not smooth), not a wrong deployment. The truth
/// here is one of sixteen random noiseless ones (2026-12-07) whose runs were refused before: gemm_fraction at 1.05.
/// </summary>
public class CalibratorStartsTests
{
    [Fact]
    public void Runs_whose_best_two_starts_end_at_a_bound_are_fitted_from_the_next_start_instead_of_refused()
    {
        var setup = PredictionFixtures.Setup();
        // The 13th truth drawn from this seed (about bw 0.91, gemm 0.51, step 3.81 ms, per sequence 20.4 us, front-end
        // 7.05 ms, per token 138 us); rounded, it is another case, so it is drawn as the probe drew it.
        var rng = new Random(20261207);
        PhysicalParameters truth = null!;
        for (var t = 0; t <= 12; t++)
        {
            double U(double a, double b) => a + (b - a) * rng.NextDouble();
            truth = PredictionFixtures.Params(bw: U(0.5, 0.95), gemm: U(0.3, 0.8), stepMs: U(0.5, 8), perSeqUs: U(5, 80), prefillMs: U(5, 80),
                frontendUs: rng.NextDouble() < 0.5 ? 0 : U(5, 150), launchUs: 1.0);
        }
        var model = new ServingModel(setup, truth);
        var runs = new[] { (4, 1024), (16, 1024), (64, 1024), (16, 4096) }
            .Select(x => PredictionCalibrationTests.Synthetic(model, new LoadShape(x.Item1, null, 10 * x.Item1), new LengthSampler(x.Item2, 256), $"c{x.Item1}_isl{x.Item2}.json"))
            .ToList();
        var lines = new List<string>();
        var fit = Calibrator.Fit(PredictionFixtures.Deployments(setup), runs, PhysicalParameters.Prior(false), progress: lines.Add);
        Assert.Contains(lines, l => l.StartsWith("calibration: next start 3 of", StringComparison.Ordinal));
        Assert.All(fit.Table, p => Assert.InRange(p.Value, p.Min, p.Max));
        Assert.InRange(fit.RmsPercent, 0, 15);
    }
}
