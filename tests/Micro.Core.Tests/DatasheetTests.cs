using Micro.Core.Hardware;

namespace Micro.Core.Tests;

public class DatasheetTests
{
    [Theory]
    [InlineData("NVIDIA H100 80GB HBM3", "h100-sxm", 3350)]
    [InlineData("NVIDIA H100 PCIe", "h100-pcie", 2000)]
    [InlineData("NVIDIA H200", "h200", 4800)]
    [InlineData("NVIDIA A100-SXM4-40GB", "a100-sxm-40", 1555)]
    [InlineData("NVIDIA A100-SXM4-80GB", "a100-sxm-80", 2039)]
    [InlineData("AMD Instinct MI300X", "mi300x", 5300)]
    // aiconfigurator's system names, as a converted table's `gpu` key may carry them.
    [InlineData("h100_sxm", "h100-sxm", 3350)]
    [InlineData("h200_sxm", "h200", 4800)]
    [InlineData("b200_sxm", "b200", 7700)]
    [InlineData("b300_sxm", "b300", 7750)]
    [InlineData("NVIDIA GB200", "gb200", 8000)]
    [InlineData("gb300", "gb300", 8000)]
    [InlineData("NVIDIA H20", "h20", 4000)]
    [InlineData("NVIDIA RTX PRO 6000 Blackwell Server Edition", "rtx-pro-6000", 1792)]
    [InlineData("AMD Instinct MI350X", "mi350x", 8000)]
    public void MatchesDriverNamesToTheRightPart(string name, string key, double bandwidth)
    {
        var spec = Datasheet.Match(name);
        Assert.NotNull(spec);
        Assert.Equal(key, spec.Key);
        Assert.Equal(bandwidth, spec.MemoryBandwidthGBps);
    }

    [Fact]
    public void UnknownPartsHaveNoEntryAndEveryEntryHasASource()
    {
        Assert.Null(Datasheet.Match("AMD EPYC"));
        Assert.Null(Datasheet.Match("ILGPU CPU accelerator"));
        Assert.All(Datasheet.All, s => Assert.False(string.IsNullOrWhiteSpace(s.Source)));
        Assert.Equal(Datasheet.All.Count, Datasheet.All.Select(s => s.Key).Distinct().Count());
    }

    [Theory]
    [InlineData("H100", "h100-sxm, h100-pcie, h100-nvl")]
    [InlineData("a100", "a100-sxm-80, a100-sxm-40")]
    public void AnAmbiguousNameIsRefusedWithTheEntriesItCouldMean(string name, string entries)
    {
        Assert.Null(Datasheet.Match(name));
        Assert.Equal($"names more than one datasheet entry ({entries}): give one of them", Datasheet.NoMatchReason(name));
    }

    [Fact]
    public void AnUnknownNameIsRefusedWithEveryKey()
    {
        var reason = Datasheet.NoMatchReason("tpu-v9");
        Assert.StartsWith("names no datasheet entry (known: h100-sxm, ", reason);
        Assert.All(Datasheet.All, s => Assert.Contains(s.Key, reason));
    }
}
