using System.Text.Json.Nodes;
using Micro.EndToEnd.Ingest;

namespace Micro.Cli.Tests;

/// <summary>
/// Issue 21, class 2: a vLLM result that contradicts itself is never reported on as if it were sound. Each rule of
/// PlausibilityRules is broken in turn on a sound file (every stated quotient, every pair of percentiles, every count
/// against the arrays): an error is one line naming the field, exit 2; a warning reaches the console and the file.
/// </summary>
public class HostilePlausibilityTests
{
    private static JsonObject Sound() => (JsonObject)JsonNode.Parse(HostileShapeTests.Vllm)!;

    private static async Task<(int Code, string Out, string Err)> Analyze(JsonObject doc, params string[] extra)
    {
        var path = Path.Combine(CliRun.TempDir(), "run.json");
        File.WriteAllText(path, doc.ToJsonString());
        return await CliRun.Run(["analyze", path, "--gpu", "h100-sxm", .. extra]);
    }

    [Fact]
    public async Task TheSoundFileIsReadWithoutAWarning()
    {
        var (code, _, err) = await Analyze(Sound());
        Assert.True(code == ExitCodes.Ok, err);
        Assert.DoesNotContain("warning", err);
    }

    public static TheoryData<string, double> Quotients() => new()
    {
        { "request_throughput", 30 }, { "request_throughput", 1e-300 }, { "output_throughput", 1e300 },
        { "total_token_throughput", 0.05 }, { "duration", 1e-300 }, { "duration", 1e6 },
    };

    [Theory]
    [MemberData(nameof(Quotients))]
    public async Task AStatedQuotientThatDisagreesWithItsTotalsIsRefused(string field, double factor)
    {
        var doc = Sound();
        doc[field] = doc[field]!.GetValue<double>() * factor;
        var (code, _, err) = await Analyze(doc);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(": ", err);
        Assert.Contains("micro: ", err);
        Assert.DoesNotContain(" at Micro", err);
    }

    [Theory]
    [InlineData("request_throughput", 3)]
    [InlineData("output_throughput", 0.4)]
    public async Task AStatedQuotientSomewhatOffIsAWarningOnTheConsoleAndInTheFile(string field, double factor)
    {
        var doc = Sound();
        doc[field] = doc[field]!.GetValue<double>() * factor;
        var outDir = CliRun.TempDir();
        var (code, _, err) = await Analyze(doc, "--out", outDir);
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains($"micro: warning: ", err);
        Assert.Contains($"{field}: ", err);
        Assert.Contains("disagrees with", File.ReadAllText(Path.Combine(outDir, "analysis.json")));
    }

    [Theory]
    [InlineData("ttft")]
    [InlineData("tpot")]
    public async Task APercentileBelowALowerOneIsRefused(string metric)
    {
        var doc = Sound();
        (doc[$"median_{metric}_ms"], doc[$"p99_{metric}_ms"]) = (doc[$"p99_{metric}_ms"]!.GetValue<double>() * 100, 0.001);
        var (code, _, err) = await Analyze(doc, "--slo", $"p99:{metric}<=50ms");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"p99_{metric}_ms", err);
        Assert.Contains("percentiles must not decrease", err);
    }

    [Theory]
    [InlineData("completed", 5, "num_prompts")]
    [InlineData("max_concurrency", 0, "is 0")]
    [InlineData("total_input_tokens", 9223372036854775807, "tokens")]
    [InlineData("p99_e2el_ms", 1e300, "longer than the whole run")]
    [InlineData("mean_ttft_ms", 1e300, "longer than the whole run")]
    public async Task ACountOrTimeThatCannotBeIsRefused(string field, double value, string reason)
    {
        var doc = Sound();
        doc[field] = value == Math.Floor(value) && Math.Abs(value) < 1e19 ? JsonValue.Create((long)Math.Min(value, long.MaxValue)) : JsonValue.Create(value);
        var (code, _, err) = await Analyze(doc);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(field, err);
        Assert.Contains(reason, err);
    }

    [Fact]
    public async Task ArraysThatContradictTheCountsAreRefusedOrWarned()
    {
        var allFailed = Sound();
        allFailed["errors"] = new JsonArray("x", "x", "x", "x");
        var (code, _, err) = await Analyze(allFailed);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("every one of the 4 requests failed", err);

        var huge = Sound();
        huge["ttfts"] = new JsonArray(1e308, 0.03, 0.03, 0.03);
        (code, _, err) = await Analyze(huge);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("ttfts[0]", err);

        var oneToken = Sound();
        oneToken["output_lens"] = new JsonArray(1, 1, 1, 1);
        oneToken["total_output_tokens"] = 4;
        oneToken["output_throughput"] = 0.4;
        oneToken["total_token_throughput"] = 40.4;
        var outDir = CliRun.TempDir();
        (code, _, err) = await Analyze(oneToken, "--out", outDir);
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("micro: warning:", err);
        Assert.Contains("output_lens", err);
        Assert.Contains("at most 1 token", File.ReadAllText(Path.Combine(outDir, "analysis.json")));
    }

    [Fact]
    public void NegativeZeroReadsAsZero()
    {
        var text = Sound().ToJsonString().Replace("\"mean_ttft_ms\":30", "\"mean_ttft_ms\":-0.0");
        Assert.Contains("-0.0", text);
        var point = VllmResultReader.Parse(System.Text.Encoding.UTF8.GetBytes(text), "f.json").Single();
        Assert.False(double.IsNegative(point.Stated("ttft", "mean")!.Value));
    }
}
