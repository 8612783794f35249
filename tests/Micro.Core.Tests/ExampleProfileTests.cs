using Micro.Core.Ceilings;
using Micro.Core.Results;
using Micro.Tests.Shared;

namespace Micro.Core.Tests;

/// <summary>The committed H100 example (scripts/examples) must stay readable by the current schema and hold real figures.</summary>
public class ExampleProfileTests
{
    private static string Example(string relative) => Path.Combine(TestPaths.RepoRoot, "scripts", "examples", "h100-2026-11-22", relative);

    [Fact]
    public void H100CeilingsParseAndMatchTheDatasheetEntry()
    {
        var profile = CeilingsFile.Read(Example("gpu/ceilings.json"));
        var h100 = Assert.Single(profile.Devices, d => d.Device.Contains("H100", StringComparison.Ordinal));
        Assert.Equal("h100-sxm", h100.DatasheetKey);
        var bw = h100.Find(CeilingNames.MemoryBandwidth);
        Assert.NotNull(bw);
        Assert.InRange(bw!.Value, 2500, 3350);
        var gemm = h100.Find(CeilingNames.GemmBf16);
        Assert.NotNull(gemm);
        Assert.InRange(gemm!.Value, 600, 990);
    }

    [Fact]
    public void H100ResultsAreAllVerified()
    {
        var records = ResultsReader.Read(Example("gpu/results.jsonl"));
        Assert.True(records.Count > 50);
        Assert.All(records, r => Assert.True(r.Verification.Passed, $"{r.Suite}/{r.Case} failed verification"));
        Assert.Contains(records, r => r.Suite == "memory" && r.Backend == "native" && r.Timer == "device-events");
    }
}
