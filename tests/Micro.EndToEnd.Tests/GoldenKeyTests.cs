using System.Text.Json;
using System.Text.RegularExpressions;
using Micro.Core.Models;
using Micro.EndToEnd.Analysis;
using Micro.EndToEnd.Cost;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Metrics;
using Micro.Reports.Analysis;
using Micro.EndToEnd.SpeedOfLight;
using Micro.Tests.Shared;

namespace Micro.EndToEnd.Tests;

/// <summary>The public names of analysis.json and points.csv, pinned by tests/Micro.Core.Tests/Golden.</summary>
public class GoldenKeyTests
{
    [Fact]
    public void AnalysisKeysAreTheGoldenList()
    {
        Assert.Equal("micro.analysis/2", AnalysisResult.CurrentSchema);
        SchemaKeys.AssertGolden("analysis.json", SchemaKeys.Of<AnalysisResult>());
    }

    [Fact]
    public void PointsCsvHeadersAreTheGoldenList()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("micro-golden-").FullName, "points.csv");
        PointsCsv.Write(path, SchemaKeys.Populate<AnalysisResult>());
        SchemaKeys.AssertGolden("points.csv", File.ReadLines(path).First().Split(','));
    }

    [Fact]
    public void ARealAnalysisWritesEveryLatencyWithItsUnitAndNoMangledKey()
    {
        var json = JsonSerializer.Serialize(GptOssSweep(), AnalysisJson.Options);
        var keys = SchemaKeys.OfJson(json);
        Assert.DoesNotContain(keys, k => SchemaKeys.Mangled.Any(m => k.Contains(m, StringComparison.Ordinal)));
        var latency = JsonDocument.Parse(json).RootElement.GetProperty("points")[0].GetProperty("latency_ms").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("mean_ttft_ms", latency);
        Assert.Contains("p99_tpot_ms", latency);
        Assert.All(latency, k => Assert.Matches("^[a-z0-9.]+_(ttft|tpot|itl|e2el)_ms$", k));
        Assert.Contains("points[].cost_per_1m_output_tokens", keys);
        Assert.Contains("speed_of_light.bandwidth_gbps", keys);
    }

    [Fact]
    public void AVersionOneAnalysisIsReadWithTheVersionTwoNames()
    {
        var r = GptOssSweep();
        var v2 = JsonSerializer.Serialize(r, AnalysisJson.Options);
        // What micro.analysis/1 wrote: the acronym-blind names and latency keys without their unit.
        var v1 = v2.Replace("micro.analysis/2", "micro.analysis/1", StringComparison.Ordinal)
            .Replace("cost_per_1m_", "cost_per1_m_", StringComparison.Ordinal)
            .Replace("\"bandwidth_gbps\"", "\"bandwidth_g_bps\"", StringComparison.Ordinal);
        v1 = Regex.Replace(v1, "\"latency_ms\": \\{[^}]*\\}", m => m.Value.Replace("_ms\":", "\":", StringComparison.Ordinal).Replace("\"latency\":", "\"latency_ms\":", StringComparison.Ordinal));
        Assert.Contains("\"p99_tpot\":", v1);
        Assert.Contains("\"cost_per1_m_output_tokens\"", v1);
        var path = Path.Combine(Directory.CreateTempSubdirectory("micro-v1-").FullName, "analysis.json");
        File.WriteAllText(path, v1);

        var back = AnalysisJson.Read(path);
        Assert.Equal(AnalysisResult.CurrentSchema, back.Schema);
        Assert.Equal(r.Points[6].CostPer1MOutputTokens!.Value, back.Points[6].CostPer1MOutputTokens!.Value, 12);
        Assert.Equal(r.Points[6].Latency("p99", "tpot"), back.Points[6].Latency("p99", "tpot"));
        Assert.Equal(r.SpeedOfLight!.BandwidthGBps, back.SpeedOfLight!.BandwidthGBps);
    }

    private static AnalysisResult GptOssSweep()
    {
        var dir = TestPaths.SharedFile("vllm/gptoss120b_amd_1p1d_sweep");
        var model = ModelConfigReader.Read(TestPaths.SharedFile("models/config_gpt_oss_120b.json"));
        var sol = new SolModel(model, WeightFormat.For(model, null), HardwareProfile.FromDatasheet("mi355x"), 8, 2, ParameterCountMode.DecodeReads);
        var o = new AnalysisOptions
        {
            Slos = [SloSpec.Parse("p99:tpot<=20ms")], Deployment = Micro.EndToEnd.Deployment.Deployment.Aggregated(16, 8), GpuHourPrice = 3.0, PriceSource = "test",
            RequestsPerMonth = 50e6, Sol = sol,
        };
        return Analyzer.Analyze(ResultSetLoader.Load([dir]), o, [dir]);
    }
}
