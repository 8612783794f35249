using Micro.Core.Ceilings;
using Micro.Core.Results;
using Micro.Tests.Shared;

namespace Micro.Core.Tests;

/// <summary>The public names of results.jsonl, ceilings.json and results.csv, pinned by the lists in Golden/.</summary>
public class GoldenKeyTests
{
    [Fact]
    public void ResultRecordKeysAreTheGoldenList() => SchemaKeys.AssertGolden("results.jsonl", SchemaKeys.Of<MeasurementRecord>());

    [Fact]
    public void CeilingsProfileKeysAreTheGoldenList() => SchemaKeys.AssertGolden("ceilings.json", SchemaKeys.Of<CeilingsProfile>());

    [Fact]
    public void ResultsCsvHeadersAreTheGoldenList()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("micro-golden-").FullName, "results.csv");
        ResultsCsv.Write(path, [SchemaKeys.Populate<MeasurementRecord>()]);
        var header = File.ReadLines(path).First().Split(',');
        Assert.Equal(MicroCsv.Headers<ResultsCsv.Row>(), header);
        SchemaKeys.AssertGolden("results.csv", header);
    }

    [Fact]
    public void NoGoldenKeyIsMangledByAnAcronymBlindNamingPolicy()
    {
        var lists = Directory.GetFiles(SchemaKeys.GoldenDirectory, "*.txt").Select(f => Path.GetFileNameWithoutExtension(f)).ToList();
        Assert.Contains("analysis.json", lists);
        Assert.Contains("points.csv", lists);
        foreach (var name in lists)
            foreach (var key in SchemaKeys.Read(name))
            {
                Assert.DoesNotContain(SchemaKeys.Mangled, m => key.Contains(m, StringComparison.Ordinal));
                Assert.True(key == key.ToLowerInvariant(), $"{name}: '{key}' is not snake_case");
            }
    }

    [Fact]
    public void SchemasAreTheCurrentVersions()
    {
        Assert.Equal("micro.result/3", MeasurementRecord.CurrentSchema);
        Assert.Equal("micro.ceilings/2", CeilingsProfile.CurrentSchema);
    }

    [Theory]
    [InlineData("DType", "dtype")]
    [InlineData("KvDType", "kv_dtype")]
    [InlineData("ClockMHz", "clock_mhz")]
    [InlineData("SmClockMHz", "sm_clock_mhz")]
    [InlineData("TheoreticalBandwidthGBps", "theoretical_bandwidth_gbps")]
    [InlineData("CostPer1MOutputTokens", "cost_per_1m_output_tokens")]
    [InlineData("P99TtftMs", "p99_ttft_ms")]
    [InlineData("Fp8Tflops", "fp8_tflops")]
    [InlineData("PciBusId", "pci_bus_id")]
    [InlineData("DeviceNumaNode", "device_numa_node")]
    [InlineData("URLPath", "url_path")]
    [InlineData("Case", "case")]
    public void NamingKeepsUnitsAndAcronymsWhole(string property, string expected) =>
        Assert.Equal(expected, MicroNaming.Instance.ConvertName(property));
}
