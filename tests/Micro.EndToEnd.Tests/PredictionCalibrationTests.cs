using Micro.Core.Results;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>Calibration on runs generated from known parameters: it must find them again, and say what it cannot fit.</summary>
public class PredictionCalibrationTests
{
    private static BenchmarkPoint Synthetic(ServingModel truth, LoadShape load, LengthSampler lengths, string name)
    {
        var sim = truth.Simulate(load, lengths);
        return VllmResultReader.Parse(PredictedResultFile.ToJson(sim, load, "synthetic/llama"), name)[0];
    }

    private static IReadOnlyList<BenchmarkPoint> Runs(ServingModel truth, params (int C, int Isl)[] points) =>
        points.Select(p => Synthetic(truth, new LoadShape(p.C, null, 2 * p.C), new LengthSampler(p.Isl, 128), $"c{p.C}_isl{p.Isl}.json")).ToList();

    [Fact]
    public void RecoversEveryParameterFromRunsThatConstrainThem()
    {
        var truth = PredictionFixtures.Params(bw: 0.8, gemm: 0.6, stepMs: 1.5, perSeqUs: 20, prefillMs: 30, frontendUs: 40);
        var setup = PredictionFixtures.Setup();
        var model = new ServingModel(setup, truth);
        var runs = Runs(model, (1, 256), (64, 256), (1, 4096), (64, 4096));
        var fit = Calibrator.Fit(model, runs, PhysicalParameters.Prior(0.4));
        foreach (var p in fit.Table)
        {
            Assert.True(p.Fitted, p.Name + ": " + p.Note);
            var want = truth.Values[PhysicalParameters.IndexOf(p.Name)];
            Assert.InRange(p.Value, want * 0.98, want * 1.02);
        }
        Assert.All(fit.Residuals, r => Assert.InRange(Math.Abs(r.ErrorPercent), 0, 0.5));
    }

    [Fact]
    public void ParametersTheRunsCannotSeeAreHeldAtThePriorAndSaySo()
    {
        // Batch 1 only, one ISL: per-sequence overhead is confounded with the fixed step overhead.
        var truth = PredictionFixtures.Params(perSeqUs: 0);
        var model = new ServingModel(PredictionFixtures.Setup(), truth);
        var runs = Runs(model, (1, 512));
        var prior = PhysicalParameters.Prior(0.4);
        var fit = Calibrator.Fit(model, runs, prior);
        var held = fit.Table.Where(p => !p.Fitted).ToList();
        Assert.NotEmpty(held);
        Assert.All(held, p => Assert.StartsWith("not fitted", p.Note));
        Assert.All(held, p => Assert.Equal(p.Prior, p.Value));
        Assert.True(fit.Table.Count(p => p.Fitted) <= 3);
    }

    [Fact]
    public void RunsThatNeedAnUnphysicalParameterFailInOneLine()
    {
        // Runs 20x faster than the H100 datasheet allows: bandwidth would have to exceed its physical range.
        var fast = PredictionFixtures.Setup(gpu: "b200");
        var model = new ServingModel(fast, PredictionFixtures.Params(bw: 1, gemm: 1, stepMs: 0, perSeqUs: 0, prefillMs: 0));
        var runs = Runs(model, (8, 256), (64, 256));
        var slow = new ServingModel(PredictionFixtures.Setup(gpu: "l40s"), PhysicalParameters.Prior(0));
        var e = Assert.Throws<InputException>(() => Calibrator.Fit(slow, runs, PhysicalParameters.Prior(0)));
        Assert.Contains("physical", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }
}
