using Micro.Core.Results;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>Calibration on runs generated from known parameters: it must find them again, and say what it cannot fit.</summary>
public class PredictionCalibrationTests
{
    internal static BenchmarkPoint Synthetic(ServingModel truth, LoadShape load, LengthSampler lengths, string name, RunMetadata? metadata = null)
    {
        var sim = truth.Simulate(load, lengths);
        return VllmResultReader.Parse(PredictedResultFile.ToJson(sim, load, "synthetic/llama"), name)[0] with { Metadata = metadata ?? RunMetadata.None };
    }

    private static IReadOnlyList<BenchmarkPoint> Runs(ServingModel truth, params (int C, int Isl)[] points) =>
        points.Select(p => Synthetic(truth, new LoadShape(p.C, null, 2 * p.C), new LengthSampler(p.Isl, 128), $"c{p.C}_isl{p.Isl}.json")).ToList();

    // Truth values of the parameters one deployment cannot tell apart are the priors', so holding them is no error.
    private static PhysicalParameters Truth(double frontendUs = 40, double perSeqUs = 20) =>
        PredictionFixtures.Params(bw: 0.7, gemm: 0.5, stepMs: 1.5, perSeqUs: perSeqUs, prefillMs: 30, frontendUs: frontendUs, launchUs: 1.0);

    [Fact]
    public void RecoversEveryParameterTheRunsConstrain()
    {
        var setup = PredictionFixtures.Setup();
        var truth = Truth();
        var runs = Runs(new ServingModel(setup, truth), (1, 256), (64, 256), (1, 4096), (64, 4096));
        var fit = Calibrator.Fit(PredictionFixtures.Deployments(setup), runs, PhysicalParameters.Prior(false));
        foreach (var p in fit.Table)
        {
            var want = truth.Values[PhysicalParameters.IndexOf(p.Name)];
            if (p.Fitted) Assert.InRange(p.Value, want * 0.97 - 1e-9, want * 1.03 + 1e-9);
            else Assert.Equal(p.Prior, p.Value);
        }
        Assert.Contains(fit.Table, p => p.Name == "bandwidth_fraction" && p.Fitted);
        Assert.Contains(fit.Table, p => p.Name == "prefill_overhead_ms" && p.Fitted);
        Assert.All(fit.Residuals, r => Assert.InRange(Math.Abs(r.ErrorPercent), 0, 1));
    }

    [Fact]
    public void ALongFitSaysHowFarItHasGot()
    {
        var setup = PredictionFixtures.Setup();
        var runs = Runs(new ServingModel(setup, Truth()), (1, 256), (64, 256), (1, 4096), (64, 4096));
        var lines = new List<string>();
        var fit = Calibrator.Fit(PredictionFixtures.Deployments(setup), runs, PhysicalParameters.Prior(false), progress: lines.Add);
        var scouted = lines.Where(l => l.Contains(" scouted ", StringComparison.Ordinal)).ToList();
        Assert.True(scouted.Count >= 2, string.Join("\n", lines));
        Assert.StartsWith($"calibration: start 1 of {scouted.Count} scouted", scouted[0]);
        // The last line is the best start run to convergence, with the residual the fit reports.
        Assert.Contains("run to convergence", lines[^1]);
        Assert.Contains("RMS residual", lines[^1]);
        Assert.Equal(scouted.Count + Math.Min(2, scouted.Count), lines.Count);
        Assert.True(fit.RmsPercent < 1);
        // The best scout, polished, ends no higher than it was (both figures printed to 0.1%).
        static double Percent(string line, string after) => double.Parse(line[(line.IndexOf(after, StringComparison.Ordinal) + after.Length)..].Split('%')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Percent(lines.Single(l => l.Contains("best start 1 of", StringComparison.Ordinal)), "RMS residual ") <= Percent(scouted[^1], "so far "), string.Join("\n", lines));
    }

    [Fact]
    public void ParametersTheRunsCannotSeeAreHeldAtThePriorAndSaySo()
    {
        // Batch 1 only, one ISL, TP 1: no collective, and per-sequence overhead is confounded with the fixed step overhead.
        var setup = PredictionFixtures.Setup();
        var runs = Runs(new ServingModel(setup, Truth(perSeqUs: 0)), (1, 512));
        var prior = PhysicalParameters.Prior(false);
        var fit = Calibrator.Fit(PredictionFixtures.Deployments(setup), runs, prior);
        var held = fit.Table.Where(p => !p.Fitted).ToList();
        Assert.Contains(held, p => p.Name == "collective_latency_us");
        Assert.All(held, p => Assert.StartsWith("not fitted", p.Note));
        Assert.All(held, p => Assert.Equal(p.Prior, p.Value));
        Assert.True(fit.Table.Count(p => p.Fitted) <= 3);
    }

    [Fact]
    public void RunsThatNeedAnUnphysicalParameterFailInOneLine()
    {
        // Runs 20x faster than an L40S allows: bandwidth would have to exceed its physical range.
        var fast = PredictionFixtures.Setup(gpu: "b200");
        var runs = Runs(new ServingModel(fast, PredictionFixtures.Params(bw: 1, gemm: 1, stepMs: 0, perSeqUs: 0, prefillMs: 0, collectiveUs: 0, perDoublingUs: 0)), (8, 256), (64, 256));
        var e = Assert.Throws<InputException>(() => Calibrator.Fit(PredictionFixtures.Deployments(PredictionFixtures.Setup(gpu: "l40s")), runs, PhysicalParameters.Prior(false)));
        Assert.Contains("physical", e.Message);
        Assert.Contains("--keep-pinned-fit", e.Message);
        Assert.DoesNotContain("\n", e.Message);

        // --keep-pinned-fit keeps the closest fit and says which parameters sit at a bound; nothing else is marked.
        var kept = Calibrator.Fit(PredictionFixtures.Deployments(PredictionFixtures.Setup(gpu: "l40s")), runs, PhysicalParameters.Prior(false), keepPinned: true);
        Assert.NotEmpty(kept.Pinned);
        Assert.Contains(e.Field!, kept.Pinned);
        foreach (var p in kept.Table)
        {
            var spec = PhysicalParameters.Specs[PhysicalParameters.IndexOf(p.Name)];
            if (kept.Pinned.Contains(p.Name)) Assert.True(p.Value <= spec.Min + 1e-9 || p.Value >= spec.Max - 1e-9, p.Name);
        }
        Assert.True(kept.RmsPercent > 1, "the runs are not explained: the kept fit's residual says so");

        // The prediction warns, and so does a later one applying the written calibration.json.
        var l40s = PredictionFixtures.Setup(gpu: "l40s");
        var now = Predictor.Run(new PredictionRequest { Setup = l40s, Loads = [new LoadShape(8, null, 16)], Calibrate = runs, KeepPinnedFit = true });
        Assert.Contains(now.Sources, s => s.StartsWith("warning: the calibration was kept with", StringComparison.Ordinal) && s.Contains(e.Field!, StringComparison.Ordinal));
        var file = CalibrationFiles.From(kept, l40s.Model, runs.Select(r => ((int)r.MeanInputTokens, (int)r.MeanOutputTokens, r.MaxConcurrency, r.RequestRate)).ToList(), "test");
        var later = Predictor.Run(new PredictionRequest { Setup = l40s, Loads = [new LoadShape(8, null, 16)], Calibration = (file, "calibration.json") });
        Assert.Contains(later.Sources, s => s.StartsWith("warning: the calibration was kept with", StringComparison.Ordinal));
    }
}
