using Micro.Core.Context;
using Micro.Suites.Memory;

namespace Micro.Suites.Tests;

public class StreamSizingTests
{
    private static StreamTarget Target(long llc, long? fixedN = null) => new()
    {
        Backend = "t", Timer = "host-clock", FixedElements = fixedN,
        Device = new DeviceInfo { Name = "d", Kind = DeviceKind.Host, Source = "t", LastLevelCacheBytes = llc, MemoryBytes = 64L << 30 },
    };

    [Fact]
    public void SweepGoesFromInsideTheCacheToAtLeastFourTimesIt()
    {
        const long llc = 32L << 20;
        var sweep = StreamSizing.Sweep(Target(llc), StreamDType.Double, quick: false, null, null);
        Assert.True(sweep[0].TotalBytes < llc);
        Assert.False(sweep[0].PastCache);
        Assert.True(sweep[^1].TotalBytes >= 4 * llc);
        Assert.True(sweep[^1].PastCache);
        Assert.All(sweep.Where(s => s.PastCache), s => Assert.True(s.TotalBytes >= 4 * llc));
        Assert.All(sweep, s => Assert.Equal(0, s.Elements % StreamSizing.Granule));
        var quick = StreamSizing.Sweep(Target(llc), StreamDType.Float, quick: true, null, null);
        Assert.Contains(quick, s => s.PastCache);
        Assert.Contains(quick, s => !s.PastCache);
    }

    [Fact]
    public void SizeOverridesAndTheEmulatorsFixedSize()
    {
        var bytes = StreamSizing.Sweep(Target(32L << 20), StreamDType.Double, false, 3L * 8 * 1_048_576, null);
        Assert.Equal(1_048_576, Assert.Single(bytes).Elements);
        var frac = StreamSizing.Sweep(Target(32L << 20), StreamDType.Float, false, null, 0.25);
        Assert.InRange(Assert.Single(frac).TotalBytes, (16L << 30) - 3 * 4 * StreamSizing.Granule, 16L << 30);
        var emu = StreamSizing.Sweep(Target(32L << 20, fixedN: 65536), StreamDType.Double, false, 1L << 30, null);
        Assert.Equal(65536, Assert.Single(emu).Elements);
    }
}
