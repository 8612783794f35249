using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Core.Fleet;

namespace Micro.Reports.Tests;

public sealed class FleetAnalysisTests
{
    private static DeviceCeilings Device(int rank, string host, params (string Name, double Value, Better Better)[] ceilings) => new()
    {
        Device = "gpu", Rank = rank, Host = host, DeviceId = $"GPU-{rank}",
        Ceilings = ceilings.Select(c => new Ceiling { Name = c.Name, Value = c.Value, Unit = c.Better == Better.Lower ? "us" : "GB/s", Better = c.Better, Suite = "s", Case = "c", Backend = "b" }).ToList(),
    };

    private static FleetMember Member(int rank, string host = "n0") => new() { Rank = rank, Host = host, Device = "gpu", DeviceId = $"GPU-{rank}" };

    [Fact]
    public void FlagsOnlyTheDeviceBelowTheMedianByMoreThanTheThreshold()
    {
        double[] bw = [3000, 2990, 3010, 2950, 2800, 3005, 2995, 2985]; // rank 4 is 6.5% below the median 2992.5
        var devices = bw.Select((v, i) => Device(i, $"n{i / 4}", (CeilingNames.MemoryBandwidth, v, Better.Higher))).ToList();
        var fleet = FleetAnalysis.Analyze(devices, devices.Select(d => Member(d.Rank!.Value, d.Host!)).ToList());

        var stats = Assert.Single(fleet.Ceilings);
        Assert.Equal(2992.5, stats.Median, 9);
        Assert.Equal(10, stats.Mad, 9);
        var o = Assert.Single(fleet.Outliers);
        Assert.Equal((4, "n1", "GPU-4", "below-median"), (o.Rank, o.Host, o.DeviceId, o.Reason));
        Assert.Equal((2992.5 - 2800) / 2992.5, o.Deficit!.Value, 9);
        Assert.Equal(["n0", "n1"], fleet.Hosts);
        Assert.Equal(8, fleet.Ranks);

        Assert.Empty(FleetAnalysis.Analyze(devices, [], threshold: 0.10).Outliers);
    }

    [Fact]
    public void ForTimesTheSlowDeviceIsTheOneAboveTheMedian()
    {
        var devices = new[] { 2.0, 2.1, 1.9, 3.0 }.Select((v, i) => Device(i, "n0", (CeilingNames.LaunchLatency, v, Better.Lower))).ToList();
        var o = Assert.Single(FleetAnalysis.Analyze(devices, []).Outliers);
        Assert.Equal(3, o.Rank);
        Assert.True(o.Deficit > 0.3);
    }

    [Fact]
    public void ThrottlingAndLowClocksAreFlaggedAndCrossNumaExplainsASlowDevice()
    {
        var devices = Enumerable.Range(0, 4).Select(i => Device(i, "n0", (CeilingNames.MemoryBandwidth, i == 2 ? 2500 : 3000, Better.Higher))).ToList();
        var members = new List<FleetMember>
        {
            Member(0) with { SmClockMHz = 1980, DeviceNumaNode = 0, CpuNumaNodes = [0] },
            Member(1) with { SmClockMHz = 1980, ThrottleReasons = ["sw_power_cap"] },
            Member(2) with { SmClockMHz = 1980, DeviceNumaNode = 1, CpuNumaNodes = [0] },
            Member(3) with { SmClockMHz = 1500, ThrottleReasons = ["hw_thermal_slowdown"] },
        };
        var fleet = FleetAnalysis.Analyze(devices, members);

        var slow = fleet.Outliers.Single(o => o.Reason == "below-median");
        Assert.Equal(2, slow.Rank);
        Assert.Contains("cross-NUMA", slow.Explanation, StringComparison.Ordinal);
        Assert.Equal(3, fleet.Outliers.Single(o => o.Reason == "throttled").Rank);
        Assert.Equal(3, fleet.Outliers.Single(o => o.Reason == "clock").Rank);
        Assert.DoesNotContain(fleet.Outliers, o => o.Rank == 1); // a power cap alone is normal under load
    }

    [Fact]
    public void ThresholdMustBeAFraction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FleetAnalysis.Analyze([], [], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FleetAnalysis.Analyze([], [], 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => FleetAnalysis.Analyze([], [], double.NaN));
    }

    [Fact]
    public void FleetSectionRoundTripsThroughCeilingsJson()
    {
        var devices = new[] { 10.0, 10.0, 5.0 }.Select((v, i) => Device(i, "n" + i, (CeilingNames.HostMemoryBandwidth, v, Better.Higher))).ToList();
        var fleet = FleetAnalysis.Analyze(devices, devices.Select(d => Member(d.Rank!.Value, d.Host!) with { CpuNumaNodes = [0, 1] }).ToList(), 0.25);
        var path = Path.Combine(Path.GetTempPath(), $"ceilings-{Guid.NewGuid():N}.json");
        try
        {
            CeilingsFile.Write(path, new CeilingsProfile { Context = RunContext.Capture("test"), Devices = devices, Fleet = fleet });
            Assert.Contains("\"fleet\"", File.ReadAllText(path), StringComparison.Ordinal);
            var back = CeilingsFile.Read(path).Fleet;
            Assert.NotNull(back);
            Assert.Equal(0.25, back.Threshold);
            Assert.Equal(2, Assert.Single(back.Outliers).Rank);
            Assert.Equal([0, 1], back.Members[0].CpuNumaNodes);
            Assert.Equal(3, back.Ceilings[0].Values.Count);
        }
        finally { File.Delete(path); }
    }
}
