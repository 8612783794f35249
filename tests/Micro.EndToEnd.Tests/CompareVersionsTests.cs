using Micro.Cli;
using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Tests.Shared;

namespace Micro.EndToEnd.Tests;

/// <summary>`micro compare` of the committed micro.ceilings/1 profile against a micro.ceilings/2 one.</summary>
public class CompareVersionsTests
{
    [Fact]
    public async Task AVersionOneAndAVersionTwoProfileCompare()
    {
        var v1 = Path.Combine(TestPaths.RepoRoot, "scripts", "examples", "h100-2026-11-22", "gpu", "ceilings.json");
        Assert.Contains("\"micro.ceilings/1\"", File.ReadAllText(v1));
        using var dir = new TempDir();
        var v2 = Path.Combine(dir.Path, "ceilings.json");
        CeilingsFile.Write(v2, new CeilingsProfile
        {
            Context = RunContext.Capture("test"),
            Devices = [new DeviceCeilings { Device = "NVIDIA H200", Ceilings =
                [new Ceiling { Name = CeilingNames.MemoryBandwidth, Value = 4291.2, Unit = "GB/s", Suite = "memory", Case = "copy", Backend = "native" }] }],
        });
        Assert.Contains("\"micro.ceilings/2\"", File.ReadAllText(v2));
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(["compare", v1, v2], o, e);
        Assert.True(code == 0, e.ToString());
        var line = o.ToString().Split('\n').Single(l => l.TrimStart().StartsWith("memory_bandwidth", StringComparison.Ordinal));
        Assert.Contains("4,291.20", line);
        Assert.Matches(@"1\.\d{3}x", line);
    }
}
