using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>Intervals: derived from the calibration's residual spread, widened where the target differs from every calibration run.</summary>
public class PredictionIntervalTests
{
    private static BenchmarkPoint Noisy(BenchmarkPoint p, Random rng, double sigma)
    {
        double N() => Math.Exp(sigma * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        var stated = new Dictionary<(string, string), double>
        {
            [("tpot", "median")] = p.Stated("tpot", "median")!.Value * N(),
            [("ttft", "median")] = p.Stated("ttft", "median")!.Value * N(),
        };
        return p with { StatedMs = stated, OutputThroughput = p.OutputThroughput * N(), Requests = null };
    }

    [Fact]
    public void CoverageOfNoisyRunsIsWithinTenPointsOfNominal()
    {
        var setup = PredictionFixtures.Setup();
        var truth = new ServingModel(setup, PredictionFixtures.Params(bw: 0.7, gemm: 0.5, stepMs: 1.5, perSeqUs: 20, prefillMs: 30, launchUs: 1.0));
        var rng = new Random(7);
        var runs = new List<BenchmarkPoint>();
        foreach (var c in new[] { 1, 2, 4, 8, 16, 32 })
            foreach (var isl in new[] { 128, 512, 1024, 2048, 4096 })
                runs.Add(Noisy(PredictionCalibrationTests.Synthetic(truth, new LoadShape(c, null, 2 * c), new LengthSampler(isl, 64), $"c{c}_isl{isl}.json"), rng, 0.08));
        var calibrate = runs.Where((_, i) => i % 5 is 0 or 3).ToList();
        var held = runs.Except(calibrate).ToList();
        var deployments = PredictionFixtures.Deployments(setup);
        var fit = Calibrator.Fit(deployments, calibrate, PhysicalParameters.Prior(false));
        var iv = new PredictionIntervals(PredictionIntervals.Spreads(fit), null);
        var check = PredictionCheck.Run(deployments, fit.Parameters, held, 0,
            (d, p, metric, predicted) => iv.Interval(metric, predicted, Predictor.Target(d.Setup, (int)p.MeanInputTokens, (int)p.MeanOutputTokens)));
        var judged = check.Rows.Where(r => r.Metric is "median_tpot_ms" or "median_ttft_ms" or "output_throughput").ToList();
        Assert.True(judged.Count >= 50);
        var coverage = judged.Count(r => r.Inside == true) * 100.0 / judged.Count;
        Assert.InRange(coverage, 80, 100);
    }

    [Fact]
    public void AnIntervalWidensForEachDimensionTheTargetDiffersIn()
    {
        var spreads = new[] { new MetricSpread("median_tpot_ms", 30, 5, 0.04), new MetricSpread("median_ttft_ms", 30, 5, 0.10), new MetricSpread("output_throughput", 30, 5, 0.04) };
        var coverage = new CalibrationCoverage(["h100-sxm"], [2, 4, 8], ["fp8"], [[1024, 1024]]);
        var iv = new PredictionIntervals(spreads, coverage);
        var same = new IntervalTarget("h100-sxm", 4, "fp8", 1024, 1024);
        var otherGpu = same with { Gpu = "b200" };
        var otherGpuTpWorkload = otherGpu with { TensorParallel = 1, Isl = 8192 };
        Assert.Empty(iv.Differs(same));
        Assert.Equal(["gpu"], iv.Differs(otherGpu));
        Assert.Equal(["gpu", "tp", "workload"], iv.Differs(otherGpuTpWorkload));
        Assert.True(iv.Spread("median_tpot_ms", same) < iv.Spread("median_tpot_ms", otherGpu));
        Assert.True(iv.Spread("median_tpot_ms", otherGpu) < iv.Spread("median_tpot_ms", otherGpuTpWorkload));
        var (lo, hi) = iv.Interval("median_tpot_ms", 10, same);
        Assert.True(lo < 10 && hi > 10);
        Assert.Equal(10 / lo, hi / 10, 6);
        // Uncalibrated: the stated prior spread.
        Assert.Equal(PredictionIntervals.PriorSpread("median_ttft_ms"), new PredictionIntervals(null, null).Spread("median_ttft_ms", same));
    }
}
