using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>A disaggregated deployment's KV cache crosses the link its pools share: the scale-up interconnect inside one
/// domain, PCIe inside one PCIe server, and an optimistic bound (PCIe, behind which a NIC sits) between servers. Before,
/// it always took the interconnect figure: free on PCIe-only cards (no interconnect) and NVLink speed between servers.</summary>
public class KvTransferLinkTests
{
    [Theory]
    [InlineData("h100-sxm", 8, 450, false)]
    [InlineData("h100-sxm", 16, 64, true)]
    [InlineData("l40s", 4, 32, false)]
    [InlineData("l40s", 16, 32, true)]
    [InlineData("h100-pcie", 2, 300, false)]
    [InlineData("h100-pcie", 4, 64, false)]
    [InlineData("gb200", 72, 900, false)]
    public void TheKvCrossesTheLinkEveryGpuOfBothPoolsShares(string gpu, int gpus, double gbps, bool apart)
    {
        var link = KvTransferLink.For(DeviceProfile.FromDatasheet(gpu), gpus);
        Assert.Equal(gbps, link.GBps, 6);
        Assert.Equal(apart, link.Source.Contains("optimistic bound"));
        if (apart) Assert.Contains($"the pools' {gpus} GPUs span more than", link.Source);
    }

    [Fact]
    public void WithNoLinkFigureTheTransferIsNotPricedAndSaysSo()
    {
        var unknown = DeviceProfile.FromDatasheet("h100-sxm") with { DatasheetKey = null, PcieGBps = null, InterconnectGBps = new("interconnect", 0, "GB/s", "none") };
        var link = KvTransferLink.For(unknown, 2);
        Assert.Equal(0, link.GBps);
        Assert.StartsWith("not priced: no datasheet entry states the links of", link.Source);
    }

    [Theory]
    [InlineData("l40s", 2)]
    [InlineData("h100-sxm", 8)]
    public void TheFirstTokenWaitsForThePromptsKvAtThatLink(string gpu, int poolGpus)
    {
        var setup = PredictionFixtures.Setup(gpu: gpu) with
        {
            Deployment = Deployment.Deployment.Split(new(poolGpus, poolGpus), new(poolGpus, poolGpus)),
        };
        var m = new ServingModel(setup, PredictionFixtures.Params());
        var load = new LoadShape(1, null, 1);
        var lengths = new LengthSampler(4096, 4);
        var priced = m.Simulate(load, lengths).TtftMs[0];
        var free = new ServingSimulator(m.Decode, m.Prefill, m.KvTransfer! with { GBps = 0 }).Run(load, lengths).TtftMs[0];
        var expectedMs = m.PrefillStep!.Kv.Bytes(4096) / (m.KvTransfer!.GBps * 1e9) * 1e3;
        Assert.True(expectedMs > 0.01, $"transfer {expectedMs} ms");
        // The KV arrives during the decode replica's idle time, so the first token waits for exactly the transfer.
        Assert.Equal(expectedMs, priced - free, 3);
        var sources = Predictor.Run(new PredictionRequest { Setup = setup, Loads = [load], Lengths = lengths }).Sources;
        Assert.Contains(sources, s => s.StartsWith($"KV transfer prefill -> decode: per-GPU KV of the prompt at {m.KvTransfer.GBps:0.#} GB/s", StringComparison.Ordinal));
    }
}
