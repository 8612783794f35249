using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Metrics;
using Micro.EndToEnd.Prediction;
using Micro.Reports.Data;
using Micro.Reports.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>Predict's plots: calibration and held-out runs apart with the interval, or predicted vs measured across deployments; the search's choice and SLO marked.</summary>
public class PredictionChartTests
{
    private static readonly PhysicalParameters Truth = PredictionFixtures.Params(launchUs: 1.0);

    private static BenchmarkPoint Run(int tp, int c, string name) => PredictionCalibrationTests.Synthetic(
        new ServingModel(PredictionFixtures.Setup(gpus: tp, tp: tp), Truth), new LoadShape(c, null, 2 * c), new LengthSampler(256, 32), name,
        new RunMetadata { TensorParallelSize = tp.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private static PredictionResult Predict(IReadOnlyList<BenchmarkPoint> calibrate, IReadOnlyList<BenchmarkPoint> check, bool search = false) => Predictor.Run(new PredictionRequest
    {
        Setup = PredictionFixtures.Setup(gpus: 2), Loads = [new LoadShape(4, null, 8)], Lengths = new LengthSampler(256, 32),
        Calibrate = calibrate, Check = check, GpuHourPrice = 2, Slos = search ? [SloSpec.Parse("p99:tpot<=40ms")] : [],
        Search = search ? [new SearchProfile(DeviceProfile.FromDatasheet("h100-sxm"), 2, "test")] : [], SearchGpus = 2,
    });

    [Fact]
    public void OneDeploymentIsPlottedAgainstConcurrencyWithHeldOutPointsLabelledAndTheirInterval()
    {
        var r = Predict([Run(1, 1, "c1.json"), Run(1, 8, "c8.json")], [Run(1, 2, "c2.json"), Run(1, 4, "c4.json")]);
        var chart = Assert.IsType<LineChart>(PredictionReport.Charts(r).Single(c => c.Id == "predict-median-tpot-ms"));
        Assert.Equal(AxisScale.Log2, chart.X.Scale);
        var held = chart.Series.Single(s => s.Label == "measured, held out");
        Assert.Equal(2, held.Points.Count);
        Assert.All(held.PointLabels!, l => Assert.EndsWith("%", l));
        Assert.Contains(chart.Series, s => s.Label == "measured, calibration");
        Assert.Contains(chart.Series, s => s.Label == "90% interval" && s.Style is { Dashed: true });
    }

    [Fact]
    public void SeveralDeploymentsArePlottedPredictedAgainstMeasured()
    {
        var r = Predict([Run(1, 1, "a.json"), Run(2, 8, "b.json")], [Run(1, 4, "c.json"), Run(2, 2, "d.json")]);
        var chart = Assert.IsType<LineChart>(PredictionReport.Charts(r).Single(c => c.Id == "predict-median-tpot-ms"));
        Assert.Equal(AxisScale.Log10, chart.X.Scale);
        Assert.Contains(chart.Series, s => s.Label == "y = x");
        Assert.Equal(2, chart.Series.Where(s => s.Label.StartsWith("held out", StringComparison.Ordinal)).Sum(s => s.Points.Count));
    }

    [Fact]
    public void TheSearchFrontierMarksTheChosenConfigurationAndTheTpotSlo()
    {
        var r = Predict([], [], search: true);
        var chart = Assert.IsType<LineChart>(PredictionReport.Charts(r).Single(c => c.Id == "predict-frontier"));
        Assert.Contains(chart.Series, s => s.Label.StartsWith("chosen:", StringComparison.Ordinal) && s.Points.Count == 1);
        var slo = Assert.Single(chart.Lines);
        Assert.True(slo.Vertical);
        Assert.Equal(1000 / 40.0, slo.Value, 9);
    }
}
