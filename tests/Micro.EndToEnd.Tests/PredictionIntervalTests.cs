using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>Intervals: derived from the calibration's residual spread, widened where the target differs from every calibration run.</summary>
public class PredictionIntervalTests
{
    internal static BenchmarkPoint Noisy(BenchmarkPoint p, Random rng, double sigma)
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
            (d, p, _, metric, predicted) => iv.Interval(metric, predicted, Predictor.Target(d.Setup, (int)p.MeanInputTokens, (int)p.MeanOutputTokens)));
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

    [Fact]
    public void TtftAtAnUnseenPromptLengthWidensByTheUnsplitPrefillBracketOnlyWhenTheCalibrationHadOneLength()
    {
        var spreads = new[] { new MetricSpread("median_tpot_ms", 30, 5, 0.04), new MetricSpread("median_ttft_ms", 30, 5, 0.10) };
        var one = new PredictionIntervals(spreads, new CalibrationCoverage(["h100-sxm"], [8], ["fp8"], [[1024, 1024], [1000, 8192]]));
        var two = new PredictionIntervals(spreads, new CalibrationCoverage(["h100-sxm"], [8], ["fp8"], [[1024, 1024], [8192, 1024]]));
        var seen = new IntervalTarget("h100-sxm", 8, "fp8", 1024, 1024);
        var longer = seen with { Isl = 8192 };
        var shorter = seen with { Isl = 128 };

        Assert.NotNull(one.SinglePromptLength);
        Assert.Null(two.SinglePromptLength);
        Assert.Equal(0, one.PromptLengthSpread(1024));
        Assert.Equal(0, two.PromptLengthSpread(8192));
        // 8x the prompt: TTFT between 8x (all per-token) and 1 + 0.5 x 7 = 4.5x (half of it fixed) its calibrated value.
        var r = 8192 / one.SinglePromptLength!.Value;
        Assert.Equal(Math.Abs(Math.Log(r) - Math.Log(1 + 0.5 * (r - 1))) / PredictionIntervals.Z90, one.PromptLengthSpread(8192), 9);
        Assert.InRange(one.PromptLengthSpread(8192), 0.34, 0.36);
        // Shorter prompts are worse: the fixed part, unknown, dominates.
        Assert.True(one.PromptLengthSpread(128) > one.PromptLengthSpread(8192));
        // Only TTFT widens, and only where the calibration could not split it.
        var tpotBase = 0.04 * Math.Sqrt(30.0 / 25);
        Assert.Equal(Math.Sqrt(tpotBase * tpotBase + Math.Pow(PredictionIntervals.TransferSpread("workload", "median_tpot_ms"), 2)), one.Spread("median_tpot_ms", longer), 12);
        Assert.True(one.Spread("median_ttft_ms", longer) > two.Spread("median_ttft_ms", longer));
        Assert.True(one.Spread("median_ttft_ms", shorter) > one.Spread("median_ttft_ms", longer));
        Assert.Equal(one.Spread("median_ttft_ms", seen), two.Spread("median_ttft_ms", seen), 12);
        // Uncalibrated: nothing to split.
        Assert.Equal(0, new PredictionIntervals(null, null).PromptLengthSpread(8192));
    }

    [Fact]
    public void AnUnseenTpWidensByTheUnsplitStepBracketOnlyWhenTheCalibrationHadOneTp()
    {
        var spreads = new[] { new MetricSpread("median_tpot_ms", 30, 5, 0.04), new MetricSpread("median_ttft_ms", 30, 5, 0.10), new MetricSpread("output_throughput", 30, 5, 0.04) };
        var one = new PredictionIntervals(spreads, new CalibrationCoverage(["h100-sxm"], [2], ["fp8"], [[1024, 1024]]));
        var two = new PredictionIntervals(spreads, new CalibrationCoverage(["h100-sxm"], [2, 4], ["fp8"], [[1024, 1024]]));
        var at = new IntervalTarget("h100-sxm", 2, "fp8", 1024, 1024);

        Assert.Equal(2, one.SingleTensorParallel);
        Assert.Null(two.SingleTensorParallel);
        Assert.Equal(0, one.TensorParallelSpread(2));
        Assert.Equal(0, two.TensorParallelSpread(4));
        // 4x the TP: a step between 1/4 (all GPU work) and 0.5 + 0.5 / 4 = 0.625 (half of it fixed) of its calibrated time.
        Assert.Equal(Math.Log(0.625 / 0.25) / PredictionIntervals.Z90, one.TensorParallelSpread(8), 9);
        // Half the TP: between 2x and 1.5x.
        Assert.Equal(Math.Log(2 / 1.5) / PredictionIntervals.Z90, one.TensorParallelSpread(1), 9);
        Assert.InRange(one.TensorParallelSpread(4), 0.24, 0.25);
        // Every metric widens by it, in quadrature with the rest; a calibration of several TPs does not.
        foreach (var metric in new[] { "median_tpot_ms", "median_ttft_ms", "output_throughput" })
        {
            var other = at with { TensorParallel = 8 };
            Assert.Equal(Math.Sqrt(Math.Pow(two.Spread(metric, other), 2) + Math.Pow(one.TensorParallelSpread(8), 2)), one.Spread(metric, other), 12);
            Assert.Equal(one.Spread(metric, at), two.Spread(metric, at), 12);
        }
        Assert.Equal(0, new PredictionIntervals(null, null).TensorParallelSpread(8));
    }

    [Fact]
    public void ACalibrationOfOneTpAskedAboutAnotherSaysSo()
    {
        var spreads = new[] { new MetricSpread("median_tpot_ms", 30, 5, 0.04) };
        var one = new PredictionIntervals(spreads, new CalibrationCoverage(["h100-sxm"], [2], ["fp8"], [[1024, 1024]]));
        var two = new PredictionIntervals(spreads, new CalibrationCoverage(["h100-sxm"], [2, 4], ["fp8"], [[1024, 1024]]));
        Assert.Null(Predictor.TensorParallelWarning(one, 2, [2, 2]));
        var w = Predictor.TensorParallelWarning(one, 2, [2, 8]);
        Assert.NotNull(w);
        Assert.StartsWith("warning: every calibration run had TP 2", w);
        Assert.NotNull(Predictor.TensorParallelWarning(one, 4, []));
        Assert.Null(Predictor.TensorParallelWarning(two, 8, [1]));
    }

    [Fact]
    public void ACalibrationOfOnePromptLengthAskedAboutAnotherSaysSo()
    {
        var spreads = new[] { new MetricSpread("median_ttft_ms", 30, 5, 0.10) };
        var one = new PredictionIntervals(spreads, new CalibrationCoverage(["h100-sxm"], [8], ["fp8"], [[1024, 1024]]));
        var two = new PredictionIntervals(spreads, new CalibrationCoverage(["h100-sxm"], [8], ["fp8"], [[1024, 1024], [8192, 1024]]));
        Assert.Null(Predictor.PromptLengthWarning(one, 1024, [1024, 1100]));
        var w = Predictor.PromptLengthWarning(one, 1024, [1024, 8192]);
        Assert.NotNull(w);
        Assert.StartsWith("warning: every calibration run had prompts of about 1024 tokens", w);
        Assert.NotNull(Predictor.PromptLengthWarning(one, 4096, []));
        Assert.Null(Predictor.PromptLengthWarning(two, 4096, [128]));
    }

    [Fact]
    public void AClosedLoopBeyondTheCalibratedConcurrenciesWidensPerDoublingEitherWay()
    {
        var spreads = new[] { new MetricSpread("median_tpot_ms", 30, 5, 0.04), new MetricSpread("median_ttft_ms", 30, 5, 0.10) };
        var coverage = new CalibrationCoverage(["h100-sxm"], [8], ["fp8"], [[1024, 1024]]);
        var iv = new PredictionIntervals(spreads, coverage, [4, 8, 16]);
        var at = new IntervalTarget("h100-sxm", 8, "fp8", 1024, 1024);

        Assert.Equal((4, 16), iv.CalibratedConcurrencies);
        Assert.Equal(0, iv.LoadDoublings(8));
        Assert.Equal(0, iv.LoadDoublings(18));   // within 1.25x of an end
        Assert.Equal(0, iv.LoadDoublings(null)); // an open loop
        Assert.Equal(2, iv.LoadDoublings(64), 9);
        Assert.Equal(2, iv.LoadDoublings(1), 9);
        var inside = iv.Spread("median_tpot_ms", at with { Concurrency = 16 });
        Assert.Equal(inside, iv.Spread("median_tpot_ms", at), 12);
        Assert.Equal(Math.Sqrt(inside * inside + Math.Pow(2 * PredictionIntervals.LoadSpreadPerDoubling("median_tpot_ms"), 2)),
            iv.Spread("median_tpot_ms", at with { Concurrency = 64 }), 12);
        Assert.True(iv.Spread("median_ttft_ms", at with { Concurrency = 512 }) > iv.Spread("median_ttft_ms", at with { Concurrency = 64 }));
        // Nothing calibrated, or no closed-loop run: no load term.
        Assert.Null(new PredictionIntervals(null, null, [4, 8]).CalibratedConcurrencies);
        Assert.Equal(0, new PredictionIntervals(spreads, coverage).LoadDoublings(512));
    }

    [Fact]
    public void CalibratedAtLowConcurrencyTheCheckAtHighConcurrencyCarriesTheLoadTermInItsIntervals()
    {
        var setup = PredictionFixtures.Setup();
        var truth = new ServingModel(setup, PredictionFixtures.Params(bw: 0.7, gemm: 0.5, stepMs: 1.5, perSeqUs: 20, prefillMs: 30, launchUs: 1.0));
        var runs = new[] { 2, 4, 8, 64 }.Select(c => PredictionCalibrationTests.Synthetic(truth, new LoadShape(c, null, 4 * c), new LengthSampler(512, 64), $"c{c}.json")).ToList();
        var deployments = PredictionFixtures.Deployments(setup);
        var fit = Calibrator.Fit(deployments, runs.Take(3).ToList(), PhysicalParameters.Prior(false));
        var iv = new PredictionIntervals(PredictionIntervals.Spreads(fit), null, [2, 4, 8]);
        (double, double) IntervalAt(int? c) => iv.Interval("median_tpot_ms", 10, Predictor.Target(setup, 512, 64) with { Concurrency = c });
        var (lo8, hi8) = IntervalAt(8);
        var (lo64, hi64) = IntervalAt(64);
        Assert.True(hi64 / lo64 > hi8 / lo8);
        Assert.Equal(Math.Exp(2 * PredictionIntervals.Z90 * Math.Sqrt(Math.Pow(Math.Log(hi8 / lo8) / (2 * PredictionIntervals.Z90), 2) + Math.Pow(3 * 0.10, 2))), hi64 / lo64, 6);
    }

    [Fact]
    public void TtftWidensWhereTheFrontEndStreamsMoreThanAnyCalibrationRunDid()
    {
        var spreads = new[] { new MetricSpread("median_tpot_ms", 30, 5, 0.04), new MetricSpread("median_ttft_ms", 30, 5, 0.10) };
        var coverage = new CalibrationCoverage(["h100-sxm"], [8], ["fp8"], [[1024, 1024]]);
        // 150 us per token, the calibration streamed at most 3,000 tok/s (utilization 0.45).
        var iv = new PredictionIntervals(spreads, coverage, [4, 64], 150e-6, 3000);
        var at = new IntervalTarget("h100-sxm", 8, "fp8", 1024, 1024, 16);
        var baseTtft = iv.Spread("median_ttft_ms", at);

        Assert.Equal(3000, iv.CalibratedStream);
        Assert.Equal(baseTtft, iv.Spread("median_ttft_ms", at with { StreamTokensPerSecond = 3000 }), 12);
        Assert.Equal(baseTtft, iv.Spread("median_ttft_ms", at with { StreamTokensPerSecond = 1000 }), 12);
        // 5,000 tok/s: utilization 0.75, the front-end work stretched 4x instead of 1.8x at the calibration's most.
        var s5k = Math.Log((1 - 0.45) / (1 - 0.75)) / PredictionIntervals.Z90;
        Assert.Equal(s5k, iv.FrontendLoadSpread("median_ttft_ms", 5000), 9);
        Assert.Equal(Math.Sqrt(baseTtft * baseTtft + s5k * s5k), iv.Spread("median_ttft_ms", at with { StreamTokensPerSecond = 5000 }), 12);
        // Past saturation the simulator holds utilization at its cap, and so does the spread.
        var capped = Math.Log((1 - 0.45) / (1 - ServingSimulator.MaxFrontendUtilization)) / PredictionIntervals.Z90;
        Assert.Equal(capped, iv.FrontendLoadSpread("median_ttft_ms", 20000), 9);
        Assert.Equal(capped, iv.FrontendLoadSpread("median_ttft_ms", 1e9), 9);
        // TTFT only: decode steps do not wait on the front-end in the model.
        Assert.Equal(iv.Spread("median_tpot_ms", at), iv.Spread("median_tpot_ms", at with { StreamTokensPerSecond = 20000 }), 12);
        Assert.Equal(0, iv.FrontendLoadSpread("output_throughput", 20000));
        // No front-end time fitted, no calibrated stream, or an unknown target stream: no term.
        Assert.Equal(0, new PredictionIntervals(spreads, coverage, [4], 0, 3000).FrontendLoadSpread("median_ttft_ms", 20000));
        Assert.Null(new PredictionIntervals(spreads, coverage, [4], 0, 3000).CalibratedStream);
        Assert.Equal(0, new PredictionIntervals(spreads, coverage, [4], 150e-6, null).FrontendLoadSpread("median_ttft_ms", 20000));
        Assert.Equal(0, iv.FrontendLoadSpread("median_ttft_ms", null));
        Assert.Equal(0, iv.FrontendLoadSpread("median_ttft_ms", double.NaN));
    }

    [Fact]
    public void AStreamIsAClosedLoopsSequencesPerTpotElseTheOutputThroughput()
    {
        Assert.Equal(4000, PredictionIntervals.Stream(64, 16, 1234)!.Value, 9);
        Assert.Equal(1234, PredictionIntervals.Stream(null, 16, 1234));
        Assert.Equal(1234, PredictionIntervals.Stream(64, null, 1234));
        Assert.Equal(1234, PredictionIntervals.Stream(64, 0, 1234));
        Assert.Null(PredictionIntervals.Stream(null, 16, null));
        Assert.Null(PredictionIntervals.Stream(0, double.NaN, double.PositiveInfinity));
    }

    [Fact]
    public void ACalibrationFileCarriesItsFrontEndTimeAndTheMostItsRunsStreamed()
    {
        var setup = PredictionFixtures.Setup();
        var truth = new ServingModel(setup, PredictionFixtures.Params(launchUs: 1.0));
        var runs = new[] { (2, 256), (16, 512) }.Select(x =>
            PredictionCalibrationTests.Synthetic(truth, new LoadShape(x.Item1, null, 2 * x.Item1), new LengthSampler(x.Item2, 64), $"c{x.Item1}.json")).ToList();
        var fit = Calibrator.Fit(PredictionFixtures.Deployments(setup), runs, PhysicalParameters.Prior(false));
        var file = CalibrationFiles.From(fit, setup.Model, runs.Select(r => ((int)r.MeanInputTokens, (int)r.MeanOutputTokens, r.MaxConcurrency, r.RequestRate)).ToList(), "test");
        var name = PhysicalParameters.Specs[PhysicalParameters.FrontendPerToken].Name;
        var withFrontEnd = file with { Parameters = file.Parameters.Select(p => p.Name == name ? p with { Value = 80 } : p).ToList() };

        // The most streamed: each closed-loop run's concurrency per its measured median TPOT.
        var expected = runs.Max(r => r.MaxConcurrency!.Value * 1000.0 / r.Stated("tpot", "median")!.Value);
        Assert.Equal(expected, PredictionIntervals.Of(withFrontEnd).CalibratedStream!.Value, 6);
        var xt = 2 * expected;
        Assert.Equal(Math.Log((1 - expected * 80e-6) / (1 - Math.Min(ServingSimulator.MaxFrontendUtilization, xt * 80e-6))) / PredictionIntervals.Z90,
            PredictionIntervals.Of(withFrontEnd).FrontendLoadSpread("median_ttft_ms", xt), 6);
        // A fit without front-end time per token: no term.
        var without = file with { Parameters = file.Parameters.Select(p => p.Name == name ? p with { Value = 0 } : p).ToList() };
        Assert.Null(PredictionIntervals.Of(without).CalibratedStream);
    }

    [Fact]
    public void AppliedToALoadThatStreamsMoreTheTtftIntervalWidensAndAWarningNamesIt()
    {
        // A calibration whose fit gives the front-end a time per token (the runs were made with 40 us), at c1..c32.
        var setup = PredictionFixtures.Setup();
        var truth = new ServingModel(setup, PredictionFixtures.Params(bw: 0.7, gemm: 0.5, stepMs: 1.5, perSeqUs: 20, prefillMs: 30, frontendUs: 40, launchUs: 1.0));
        var runs = new[] { (1, 2048), (8, 2048), (32, 2048), (32, 512) }.Select(x =>
            PredictionCalibrationTests.Synthetic(truth, new LoadShape(x.Item1, null, 10 * x.Item1), new LengthSampler(x.Item2, 128), $"c{x.Item1}_isl{x.Item2}.json")).ToList();
        var fitted = Predictor.Run(new PredictionRequest { Setup = setup, Loads = [new LoadShape(8, null, 80)], Lengths = new LengthSampler(512, 128), Calibrate = runs });
        var file = fitted.CalibrationOut!;
        var iv = PredictionIntervals.Of(file);
        Assert.True(iv.FrontendSecondsPerToken > 0, "the fit found no front-end time per token");
        // The calibration's most: c32 at 512-token prompts, 32 sequences per its measured median TPOT.
        var c32 = runs[3];
        Assert.Equal(32 * 1000.0 / c32.Stated("tpot", "median")!.Value, iv.CalibratedStream!.Value, 6);

        var applied = Predictor.Run(new PredictionRequest
        {
            Setup = setup, Loads = [new LoadShape(8, null, 80), new LoadShape(128, null, 1280)], Lengths = new LengthSampler(512, 128), Calibration = (file, "calibration.json"),
        });
        var warning = Assert.Single(applied.Sources, x => x.Contains("streamed at most", StringComparison.Ordinal));
        Assert.Contains("1 target(s) stream more (c128)", warning);
        // c8 streams within the calibration: its TTFT interval is the plain one; c128's is wider by the front-end term.
        double HalfWidth(PredictedPoint p) => Math.Log(p.Intervals!.MedianTtftMs.High / p.Intervals.MedianTtftMs.Low) / 2;
        var target = Predictor.Target(setup, 512, 128);
        Assert.Equal(iv.Spread("median_ttft_ms", target with { Concurrency = 8 }) * PredictionIntervals.Z90, HalfWidth(applied.Points[0]), 9);
        var c128 = applied.Points[1];
        var stream = Predictor.Stream(128, c128.Sim);
        Assert.True(stream > iv.CalibratedStream);
        Assert.True(iv.FrontendLoadSpread("median_ttft_ms", stream) > 0);
        Assert.Equal(iv.Spread("median_ttft_ms", target with { Concurrency = 128, StreamTokensPerSecond = stream }) * PredictionIntervals.Z90, HalfWidth(c128), 9);
        Assert.True(HalfWidth(c128) > iv.Spread("median_ttft_ms", target with { Concurrency = 128 }) * PredictionIntervals.Z90);
        // TPOT's interval has no front-end term.
        Assert.Equal(iv.Spread("median_tpot_ms", target with { Concurrency = 128 }) * PredictionIntervals.Z90,
            Math.Log(c128.Intervals!.MedianTpotMs.High / c128.Intervals.MedianTpotMs.Low) / 2, 9);
    }
}
