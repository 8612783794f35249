using Micro.Core.Ceilings;
using Micro.Core.Results;
using Micro.Core.Results.Points;
using Micro.Tests.Shared;

namespace Micro.Core.Tests;

/// <summary>Version-1 files (the committed H100 example) are read with the version-2 names and case ids, and their points typed (/3).</summary>
public class LegacySchemaTests
{
    private static string Example(string relative) => Path.Combine(TestPaths.RepoRoot, "scripts", "examples", "h100-2026-11-22", relative);

    [Fact]
    public void VersionOneAttentionResultsGetTheKindNamesAndOneIlgpuBackend()
    {
        Assert.Contains("\"micro.result/1\"", File.ReadLines(Example("attention/results.jsonl")).First());
        var records = ResultsReader.Read(Example("attention/results.jsonl"));
        Assert.All(records, r => Assert.Equal(MeasurementRecord.CurrentSchema, r.Schema));
        Assert.All(records, r => Assert.Equal("bf16", r.DType));
        Assert.Equal(["decode", "decode-paged", "mla", "prefill", "prefill-noncausal"], records.Select(r => r.Case).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["ilgpu", "native"], records.Select(r => r.Backend).Distinct().Order(StringComparer.Ordinal));
        // /1 wrote the causal case as prefill-causal and the non-causal one as prefill.
        // /1's causal parameter said the same; /3 keeps only the kind.
        Assert.Equal(records.Count(r => r.Parameters.GetValueOrDefault("causal") is null && r.Attention is { Kind: AttentionKind.Prefill, Causal: true }),
            records.Count(r => r.Case == "prefill"));
        Assert.All(records.Where(r => r.Case == "prefill-noncausal"), r => Assert.Equal(AttentionKind.PrefillNoncausal, r.Attention!.Kind));
        Assert.All(records, r => Assert.Equal(PointNames.Parse<AttentionKind>(r.Case), r.Attention!.Kind));
        Assert.All(records.Where(r => r.Backend == "ilgpu"), r => Assert.Equal("Cuda", r.Parameters["accelerator"]));
    }

    [Fact]
    public void VersionOneProfileKeepsItsClocksUnderTheNewNames()
    {
        var path = Example("gpu/ceilings.json");
        Assert.Contains("\"clock_m_hz\"", File.ReadAllText(path));
        var profile = CeilingsFile.Read(path);
        Assert.Equal(CeilingsProfile.CurrentSchema, profile.Schema);
        Assert.Contains(profile.Context.Devices, d => d.ClockMHz == 1980);
    }

    [Theory]
    [InlineData("d_type", "dtype")]
    [InlineData("clock_m_hz", "clock_mhz")]
    [InlineData("sm_clock_m_hz", "sm_clock_mhz")]
    [InlineData("theoretical_bandwidth_g_bps", "theoretical_bandwidth_gbps")]
    [InlineData("cost_per1_m_output_tokens", "cost_per_1m_output_tokens")]
    [InlineData("suite", "suite")]
    public void VersionOneKeysMapToVersionTwo(string v1, string v2) => Assert.Equal(v2, LegacySchema.KeyName(v1));

    [Fact]
    public void AVersionTwoLineIsReadAsIs()
    {
        var dir = Directory.CreateTempSubdirectory("micro-v2-").FullName;
        using (var w = new ResultsWriter(dir))
            w.Write(Records.Bandwidth("dev", "triad", 100) with { Suite = "attention", Case = "prefill", Contention = new Contention { Busy = true, CpuShare = 0.4 } });
        var r = Assert.Single(ResultsReader.Read(Path.Combine(dir, ResultsWriter.FileName)));
        Assert.Equal("prefill", r.Case);
        Assert.True(r.Contention!.Busy);
        Assert.Equal(0.4, r.Contention.CpuShare);
    }
}
