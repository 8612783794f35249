using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>--runs-ttft-stat auto: a table that holds mean TTFTs under the median's key is recognised by how well the
/// calibration runs fit each way; vLLM's own medians stay medians; the choice travels in calibration.json.</summary>
public class PredictionTtftStatisticTests
{
    private static List<BenchmarkPoint> Runs(bool meanUnderTheMedianKey)
    {
        var setup = PredictionFixtures.Setup();
        var truth = new ServingModel(setup, PredictionFixtures.Params(bw: 0.7, gemm: 0.5, stepMs: 1.5, perSeqUs: 20, prefillMs: 30, frontendUs: 40, launchUs: 1.0));
        // Closed loops with 10 x c prompts (vLLM bench convention): the start-up burst pulls the mean TTFT well above the median.
        return new[] { (1, 2048), (8, 2048), (32, 2048), (32, 512) }.Select(x =>
        {
            var p = PredictionCalibrationTests.Synthetic(truth, new LoadShape(x.Item1, null, 10 * x.Item1), new LengthSampler(x.Item2, 128), $"c{x.Item1}_isl{x.Item2}.json");
            if (!meanUnderTheMedianKey) return p;
            var stated = p.StatedMs.ToDictionary(kv => kv.Key, kv => kv.Value);
            stated[("ttft", "median")] = p.Stated("ttft", "mean")!.Value;
            return p with { Requests = null, StatedMs = stated };
        }).ToList();
    }

    private static PredictionResult Calibrate(List<BenchmarkPoint> runs, RunsTtftStatistic stat) => Predictor.Run(new PredictionRequest
    {
        Setup = PredictionFixtures.Setup(), Loads = [new LoadShape(16, null, 160)], Lengths = new LengthSampler(1024, 128), Calibrate = runs, RunsTtftStatistic = stat,
    });

    [Theory]
    [InlineData(true, RunsTtftStatistic.Mean)]
    [InlineData(false, RunsTtftStatistic.Median)]
    public void AutoKeepsTheStatisticTheCalibrationRunsFitBetterAndRecordsIt(bool meanUnderTheMedianKey, RunsTtftStatistic expected)
    {
        var runs = Runs(meanUnderTheMedianKey);
        var median = runs.Select(r => r.Stated("ttft", "median")!.Value).ToList();
        var r = Calibrate(runs, RunsTtftStatistic.Auto);
        Assert.Equal(expected, r.CalibrationOut!.RunsTtftStatistic);
        var note = Assert.Single(r.Sources, s => s.Contains("--runs-ttft-stat auto", StringComparison.Ordinal));
        Assert.Contains($"compared with the simulated {(expected == RunsTtftStatistic.Mean ? "mean" : "median")} ", note);
        // The kept fit is the better one, and it fits these runs closely.
        var other = Calibrate(runs, expected == RunsTtftStatistic.Mean ? RunsTtftStatistic.Median : RunsTtftStatistic.Mean);
        // The runs are noiseless: the right statistic recovers them (under 1%), the wrong one cannot (several times worse).
        Assert.True(r.Calibration!.RmsPercent < 1 && other.Calibration!.RmsPercent > 5 * r.Calibration.RmsPercent,
            $"kept {r.Calibration.RmsPercent}% vs {other.Calibration!.RmsPercent}%");
        Assert.Equal(median, runs.Select(x => x.Stated("ttft", "median")!.Value));
    }

    [Fact]
    public void TheChoiceTravelsInCalibrationJsonAndAutoIsNotAValueThere()
    {
        var r = Calibrate(Runs(true), RunsTtftStatistic.Auto);
        var dir = Directory.CreateTempSubdirectory("micro-ttftstat-").FullName;
        try
        {
            var path = Path.Combine(dir, "calibration.json");
            File.WriteAllBytes(path, CalibrationFiles.Write(r.CalibrationOut!));
            Assert.Contains("\"runs_ttft_statistic\": \"mean\"", File.ReadAllText(path));
            var back = CalibrationFiles.Read(path);
            Assert.Equal(RunsTtftStatistic.Mean, back.RunsTtftStatistic);
            // Applying it with auto compares check runs the same way.
            var applied = Predictor.Run(new PredictionRequest
            {
                Setup = PredictionFixtures.Setup(), Loads = [new LoadShape(16, null, 160)], Lengths = new LengthSampler(1024, 128),
                Calibration = (back, path), RunsTtftStatistic = RunsTtftStatistic.Auto,
            });
            Assert.Contains(applied.Sources, s => s.StartsWith("runs' median_ttft_ms compared with the simulated mean", StringComparison.Ordinal));
            File.WriteAllText(path, File.ReadAllText(path).Replace("\"runs_ttft_statistic\": \"mean\"", "\"runs_ttft_statistic\": \"auto\"", StringComparison.Ordinal));
            var e = Assert.Throws<Micro.Core.Results.InputException>(() => CalibrationFiles.Read(path));
            Assert.Equal("runs_ttft_statistic", e.Field);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void TheWorkEstimateCountsAutosTwoFits()
    {
        var runs = Runs(false);
        WorkBudget Of(RunsTtftStatistic stat) => WorkBudget.Estimate(new PredictionRequest
        {
            Setup = PredictionFixtures.Setup(), Loads = [new LoadShape(1, null, 1)], Lengths = new LengthSampler(16, 16), Calibrate = runs, RunsTtftStatistic = stat,
        });
        var (median, auto) = (Of(RunsTtftStatistic.Median), Of(RunsTtftStatistic.Auto));
        // The one tiny load aside, auto fits twice where the median fits once; the fits that may leave a run out come once.
        var leftOut = LeaveOneRunOut.MayLeaveOut(runs.Count);
        var expected = (2.0 + leftOut) / (1 + leftOut);
        Assert.InRange(auto.Steps / median.Steps, expected - 0.05, expected);
    }
}
