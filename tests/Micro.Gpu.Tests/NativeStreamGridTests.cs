using System.Text.RegularExpressions;
using Micro.Devices.Nvrtc;
using Micro.Suites.Memory.Backends;

namespace Micro.Gpu.Tests;

public class NativeStreamGridTests
{
    [Fact]
    public void Items_per_thread_matches_the_kernel_source()
    {
        var m = Regex.Match(KernelSources.Read("stream.cu"), @"#define MC_ITEMS (\d+)");
        Assert.True(m.Success, "stream.cu defines MC_ITEMS");
        Assert.Equal(NativeStreamGrid.ItemsPerThread, int.Parse(m.Groups[1].Value));
    }

    [Theory]
    [InlineData(70_000_000L, 17_090u)] // 280 MB of float: n4 = 17.5M, tiles of 256 x 4 float4, last one partial
    [InlineData(4096L, 1u)]
    [InlineData(4100L, 2u)]
    public void Cover_launches_one_block_per_tile(long elements, uint blocks)
    {
        Assert.Equal(blocks, NativeStreamGrid.Blocks(NativeGridPolicy.Cover, elements, sms: 132, residentPerSm: 8));
        var tile = NativeStreamGrid.Block * NativeStreamGrid.ItemsPerThread;
        Assert.True((long)blocks * tile >= elements / 4 && (long)(blocks - 1) * tile < elements / 4);
    }

    [Fact]
    public void Occupancy_launches_sms_times_resident_blocks()
    {
        Assert.Equal(1056u, NativeStreamGrid.Blocks(NativeGridPolicy.Occupancy, 70_000_000L, sms: 132, residentPerSm: 8));
    }
}
