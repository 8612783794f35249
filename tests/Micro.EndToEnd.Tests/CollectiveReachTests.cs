using Micro.Core.Hardware;
using Micro.Core.Results;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>An unmeasured collective runs at the datasheet link its ranks share: the scale-up interconnect inside its
/// domain, PCIe between the cards of one server past it; one that spans servers needs measured points and is refused
/// in one line otherwise (before, 16 ranks of H100 were priced as if one NVLink joined them, and PCIe cards' collectives
/// had no bandwidth cost at all).</summary>
public class CollectiveReachTests
{
    [Theory]
    [InlineData("h100-sxm", 8, 450)]
    [InlineData("h100-pcie", 2, 300)]
    [InlineData("h100-pcie", 4, 64)]
    [InlineData("l40s", 4, 32)]
    [InlineData("gb200", 72, 900)]
    [InlineData("mi355x", 8, 537.5)]
    public void RanksInsideOneServerRunAtTheLinkTheyShare(string gpu, int ranks, double gbps)
    {
        var reach = CollectiveReach.For(DeviceProfile.FromDatasheet(gpu), ranks);
        Assert.Null(reach.Refusal);
        Assert.Equal(gbps, reach.Link!.Value, 6);
        if (gbps <= 64) Assert.StartsWith("PCIe, not measured", reach.Link.Source);
    }

    [Theory]
    [InlineData("h100-sxm", 16, "the 8 GPUs that one h100-sxm interconnect joins")]
    [InlineData("b200", 16, "the 8 GPUs that one b200 interconnect joins")]
    [InlineData("h100-pcie", 16, "one PCIe server")]
    [InlineData("l40s", 16, "one PCIe server")]
    [InlineData("gb200", 144, "the 72 GPUs that one gb200 interconnect joins")]
    public void RanksSpanningServersHaveNoDatasheetLink(string gpu, int ranks, string domain)
    {
        var reach = CollectiveReach.For(DeviceProfile.FromDatasheet(gpu), ranks);
        Assert.Null(reach.Link);
        Assert.Contains($"{ranks} ranks span more than {domain}", reach.Refusal);
        Assert.Contains("micro collectives", reach.Refusal);
    }

    [Fact]
    public void ADeviceNoDatasheetDescribesNeedsMeasuredCollectivesBeyondOneGpu()
    {
        var unknown = DeviceProfile.FromDatasheet("h100-sxm") with { DatasheetKey = null };
        Assert.Null(CollectiveReach.For(unknown, 1).Refusal);
        var reach = CollectiveReach.For(unknown, 2);
        Assert.Null(reach.Link);
        Assert.Contains("no datasheet entry states the interconnect of", reach.Refusal);
    }

    [Fact]
    public void ATpSpanningServersIsRefusedNamingTheFlag()
    {
        var e = Assert.Throws<InputException>(() => new ServingModel(PredictionFixtures.Setup(gpus: 16, tp: 16), PredictionFixtures.Params()));
        Assert.Equal("--tp", e.File);
        Assert.Equal("16", e.Field);
        Assert.Contains("all_reduce: 16 ranks span more than the 8 GPUs", e.Reason);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public async Task SearchListsATpSpanningServersAmongItsExclusions()
    {
        using var dir = new TempDir();
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await Micro.Cli.CliApp.RunAsync(["predict", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--gpus", "16", "--isl", "256", "--osl", "16",
            "--num-prompts", "8", "--max-num-seqs", "2", "--search", "--out", dir.Path], o, e);
        Assert.True(code == 0, e.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir.Path, "prediction.json")));
        var search = doc.RootElement.GetProperty("search");
        Assert.Contains(search.GetProperty("excluded").EnumerateArray(), x => x.GetString()!.Contains("TP 16: all_reduce: 16 ranks span more than the 8 GPUs"));
        Assert.DoesNotContain(search.GetProperty("rows").EnumerateArray(), r => r.GetProperty("tp").GetInt32() == 16);
    }

    [Fact]
    public void MeasuredCollectivesOverThoseRanksAreUsedInstead()
    {
        var setup = PredictionFixtures.Setup(gpus: 16, tp: 16);
        // A slow network between two servers: 120 us at 8 bytes, 200 us at 1 MiB (the shape of a 2 x 8 GPU nccl-tests log).
        var measured = setup with
        {
            Device = setup.Device with
            {
                Collectives = [new CollectivePoint("all_reduce", 8, 120e-6, 16, "all_reduce"), new CollectivePoint("all_reduce", 1 << 20, 200e-6, 16, "all_reduce")],
            },
        };
        var model = new ServingModel(measured, PredictionFixtures.Params());
        Assert.Null(model.DecodeStep.CollectiveUnreachable);
        Assert.True(model.DecodeStep.CollectivesMeasured);
        // Two all_reduce per layer at (about) the measured 120 us each, for one decode token.
        Assert.InRange(model.DecodeStep.Collectives(1), 2 * 32 * 119e-6, 2 * 32 * 121e-6);
    }

    [Fact]
    public void PcieCardsPayForTheBytesTheyMove()
    {
        var setup = PredictionFixtures.Setup(gpus: 4, tp: 4, gpu: "l40s");
        var step = new ServingModel(setup, PredictionFixtures.Params(interconnect: 1.0, collectiveUs: 0, perDoublingUs: 0)).DecodeStep;
        // 8192 tokens x 4096 hidden x 2 bytes per all_reduce, 2 x 3/4 of it over 32 GB/s, two per layer.
        var bytes = 8192.0 * 4096 * 2;
        Assert.Equal(2 * 32 * bytes * 1.5 / 32e9, step.Collectives(8192), 9);
    }

    [Fact]
    public void ARunOnMoreGpusThanOneServerIsOneLineNamingFileAndField()
    {
        var deployments = PredictionFixtures.Deployments(PredictionFixtures.Setup(gpus: 16, tp: 8));
        var run = PredictionCalibrationTests.Synthetic(new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params()), new LoadShape(4, null, 8),
            new LengthSampler(256, 32), "run.json", new RunMetadata { TensorParallelSize = "16" });
        var d = deployments.Resolve(run);
        var e = Assert.Throws<InputException>(() => deployments.Model(d, PredictionFixtures.Params()));
        Assert.Equal("run.json", Path.GetFileName(e.File));
        Assert.Equal("tensor_parallel_size", e.Field);
        Assert.Contains("16 ranks span more than the 8 GPUs", e.Reason);
    }

    [Fact]
    public void EveryPartWithAScaleUpInterconnectSaysHowManyGpusItJoins()
    {
        Assert.All(Datasheet.All.Where(s => s.InterconnectGBps is not null), s =>
        {
            Assert.NotNull(s.ScaleUp);
            Assert.InRange(s.ScaleUp!.Gpus, 2, 576);
            Assert.False(string.IsNullOrWhiteSpace(s.ScaleUp.Source));
        });
        Assert.All(Datasheet.All.Where(s => s.InterconnectGBps is null), s => Assert.Null(s.ScaleUp));
    }
}
