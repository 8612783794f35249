using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Core.Hardware;
using Micro.Core.Results;

namespace Micro.Core.Tests;

public class CeilingsTests
{
    private const string H100 = "NVIDIA H100 80GB HBM3";

    [Fact]
    public void PicksTheBestVerifiedCandidatePerDeviceAndComparesWithTheDatasheet()
    {
        var records = new[]
        {
            Records.Bandwidth(H100, "copy", 2900),
            Records.Bandwidth(H100, "triad", 3000),
            Records.Bandwidth(H100, "read", 9000, passed: false),                            // failed verification
            Records.Bandwidth(H100, "small", 8000, ceiling: null),                            // inside L2: not a candidate
            Records.Bandwidth("ILGPU CPU accelerator", "triad", 0.01, label: "emulator, not a ceiling", ceiling: null),
        };
        var devices = new[] { new DeviceInfo { Name = H100, Kind = DeviceKind.Gpu, Source = "test" } };
        var built = CeilingsBuilder.Build(records, devices);
        var dev = Assert.Single(built);
        Assert.Equal("h100-sxm", dev.DatasheetKey);
        var c = Assert.Single(dev.Ceilings);
        Assert.Equal(CeilingNames.MemoryBandwidth, c.Name);
        Assert.Equal("triad", c.Case);
        Assert.Equal(3000, c.Value, 6);
        Assert.Equal(3350, c.Datasheet);
        Assert.Equal(3000.0 / 3350, c.FractionOfDatasheet!.Value, 9);
    }

    [Fact]
    public void EmulatorPointsNeverBecomeCeilingsEvenIfMarked()
    {
        var r = Records.Bandwidth("ILGPU CPU accelerator", "triad", 0.01, label: "emulator, not a ceiling");
        Assert.Empty(CeilingsBuilder.Build([r], []));
    }

    [Fact]
    public void ProfileRoundTripsAndRejectsAnotherSchema()
    {
        var dir = Directory.CreateTempSubdirectory("micro-ceil-").FullName;
        var path = Path.Combine(dir, CeilingsProfile.FileName);
        var profile = new CeilingsProfile
        {
            Context = RunContext.Capture("micro run --out x"),
            Devices = CeilingsBuilder.Build([Records.Bandwidth(H100, "triad", 3000)], []),
        };
        CeilingsFile.Write(path, profile);
        var back = CeilingsFile.Read(path);
        Assert.Equal(3000, back.Devices[0].Find(CeilingNames.MemoryBandwidth)!.Value, 6);
        Assert.Equal("micro run --out x", back.Context.CommandLine);

        File.WriteAllText(path, File.ReadAllText(path).Replace(CeilingsProfile.CurrentSchema, "micro.ceilings/99"));
        var e = Assert.Throws<InputException>(() => CeilingsFile.Read(path));
        Assert.Equal("schema", e.Field);
    }
}
