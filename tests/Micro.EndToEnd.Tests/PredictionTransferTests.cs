using Micro.Core.Results;
using Micro.EndToEnd.Ingest;
using Micro.Tests.Shared;
using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>
/// Transfer: runs generated on one GPU profile (several TPs) with known parameters are fitted together, each on its own
/// deployment (the `gpu` and `tensor_parallel_size` keys they carry), and the calibration predicts runs generated on
/// another profile; a run's deployment comes from the file, else from the command.
/// </summary>
public class PredictionTransferTests
{
    private static readonly PhysicalParameters Truth =
        PredictionFixtures.Params(bw: 0.75, gemm: 0.55, stepMs: 1.2, perSeqUs: 15, prefillMs: 20, frontendUs: 0, collectiveUs: 9, perDoublingUs: 3, interconnect: 0.8, launchUs: 1.0);

    private static BenchmarkPoint Run(string gpu, int tp, int c, int isl)
    {
        var setup = PredictionFixtures.Setup(gpus: tp, tp: tp, gpu: gpu);
        var md = new RunMetadata { Gpu = gpu, TensorParallelSize = tp.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return PredictionCalibrationTests.Synthetic(new ServingModel(setup, Truth), new LoadShape(c, null, 2 * c), new LengthSampler(isl, 64), $"{gpu}_tp{tp}_c{c}_isl{isl}.json", md);
    }

    [Fact]
    public void ACalibrationOnOneGpuPredictsAnotherWithinTwoPercent()
    {
        var calibration = new List<BenchmarkPoint>();
        foreach (var tp in new[] { 1, 2, 4 })
            foreach (var (c, isl) in new[] { (1, 256), (8, 1024) })
                calibration.Add(Run("h100-sxm", tp, c, isl));
        // The command says TP 1 on an L40S: every run's own keys must win over it.
        var command = PredictionFixtures.Setup(gpu: "l40s");
        var deployments = PredictionFixtures.Deployments(command);
        var fit = Calibrator.Fit(deployments, calibration, PhysicalParameters.Prior(false));
        Assert.All(fit.Residuals, r => Assert.InRange(Math.Abs(r.ErrorPercent), 0, 1.5));
        Assert.Contains(fit.Deployments, d => d.Label.StartsWith("h100-sxm TP4", StringComparison.Ordinal));
        Assert.All(fit.Deployments, d => Assert.Contains(d.Parts, p => p is { Key: "gpu", From: "file" }));

        var target = new[] { Run("h200", 2, 8, 1024), Run("h200", 8, 16, 512), Run("b200", 1, 4, 4096) };
        var check = PredictionCheck.Run(deployments, fit.Parameters, target, 0);
        foreach (var row in check.Rows.Where(r => r.Metric is "median_tpot_ms" or "median_ttft_ms" or "output_throughput"))
            Assert.True(Math.Abs(row.ErrorPercent) <= 2, $"{row.Source} {row.Metric}: {row.ErrorPercent:0.00}%");
    }

    [Fact]
    public void AKeyTheFileLacksComesFromTheCommandAndSaysSo()
    {
        var run = Run("h100-sxm", 2, 4, 256) with { Metadata = new RunMetadata { TensorParallelSize = "2" } };
        var d = PredictionFixtures.Deployments(PredictionFixtures.Setup(gpu: "h200")).Resolve(run);
        Assert.Contains(d.Parts, p => p is { Key: "gpu", Value: "h200", From: "flag" });
        Assert.Contains(d.Parts, p => p is { Key: "tensor_parallel_size", Value: "2", From: "file" });
    }

    [Fact]
    public void TheSameCeilingsFileNameBesideTwoRunsNamesTwoProfiles()
    {
        // Two runs, each with "gpu": "ceilings.json" in its own folder: each gets the file beside it.
        var root = Directory.CreateTempSubdirectory("micro-runs-").FullName;
        try
        {
            var source = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "scripts", "examples", "h100-2026-11-22", "gpu", "ceilings.json"));
            Assert.Contains("3065.6513964643004", source);
            var runs = new[] { ("a", source), ("b", source.Replace("3065.6513964643004", "2000", StringComparison.Ordinal)) }.Select(x =>
            {
                var dir = Directory.CreateDirectory(Path.Combine(root, x.Item1)).FullName;
                File.WriteAllText(Path.Combine(dir, "ceilings.json"), x.Item2);
                return Run("h100-sxm", 1, 1, 256) with { Source = Path.Combine(dir, "run.json"), Metadata = new RunMetadata { Gpu = "ceilings.json" } };
            }).ToList();
            var deployments = PredictionFixtures.Deployments(PredictionFixtures.Setup());
            Assert.Equal(3065.6513964643004, deployments.Resolve(runs[0]).Setup.Device.Hardware.BandwidthGBps, 6);
            Assert.Equal(2000, deployments.Resolve(runs[1]).Setup.Device.Hardware.BandwidthGBps, 6);
        }
        finally { Directory.Delete(root, true); }
    }

    [Theory]
    [InlineData("gpu", "tpu-v9", null, "gpu")]
    [InlineData("tp", null, "3", "tensor_parallel_size")]
    [InlineData("tp", null, "zero", "tensor_parallel_size")]
    public void ABadDeploymentKeyIsOneLineNamingFileAndField(string _, string? gpu, string? tp, string field)
    {
        var run = Run("h100-sxm", 1, 1, 256) with { Metadata = new RunMetadata { Gpu = gpu, TensorParallelSize = tp } };
        var deployments = PredictionFixtures.Deployments(PredictionFixtures.Setup());
        var e = Assert.Throws<InputException>(() => deployments.Model(deployments.Resolve(run), Truth));
        Assert.Equal(run.Source, e.File);
        Assert.Equal(field, e.Field);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void ATpThatDoesNotFitTheMemoryIsOneLine()
    {
        var m = Micro.Core.Models.ModelPresets.Resolve("llama-3.1-70b");
        var setup = PredictionFixtures.Setup(model: m);
        var run = Run("h100-sxm", 1, 1, 256) with { Metadata = new RunMetadata { Gpu = "h100-sxm", TensorParallelSize = "1" } };
        var deployments = PredictionFixtures.Deployments(setup);
        var e = Assert.Throws<InputException>(() => deployments.Model(deployments.Resolve(run), Truth));
        Assert.Equal("tensor_parallel_size", e.Field);
        Assert.Contains("does not fit", e.Reason);
    }
}
