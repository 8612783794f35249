using System.Globalization;
using System.Text.Json;
using Micro.Cli;
using Micro.Core.Results;

namespace Micro.EndToEnd.Tests;

/// <summary>`micro compare` of prediction.json: two predictions (B/A), a prediction against an analysis (error %), and hostile files.</summary>
public class ComparePredictionTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static readonly TempDir Dir = new();

    /// <summary>Files written by the real writers, once: predictions on two GPUs (c4, c8 / c4, c16) and an analysis of two synthetic runs (c4, c8).</summary>
    private static readonly Lazy<Task<(string H100, string H200, string Analysis)>> Files = new(async () =>
    {
        async Task<string> Predict(string gpu, string concurrency)
        {
            var dir = Path.Combine(Dir.Path, gpu);
            var (code, _, e) = await Run("predict", "--model", "llama-3.1-8b", "--gpu", gpu, "--concurrency", concurrency, "--isl", "1024", "--osl", "1024",
                "--num-prompts", "16", "--slo", "p99:tpot<=20ms", "--gpu-hour-price", "2", "--out", dir);
            Assert.True(code == 0, e);
            return Path.Combine(dir, "prediction.json");
        }
        var h100 = await Predict("h100-sxm", "4,8");
        var h200 = await Predict("h200", "4,16");
        var runs = Path.Combine(Dir.Path, "runs");
        Directory.CreateDirectory(runs);
        File.WriteAllText(Path.Combine(runs, "c4.json"), TestFiles.Legacy(4, 400, 10));
        File.WriteAllText(Path.Combine(runs, "c8.json"), TestFiles.Legacy(8, 700, 11));
        var analysis = Path.Combine(Dir.Path, "analysis");
        var (ac, _, ae) = await Run("analyze", runs, "--gpu", "h100-sxm", "--gpus", "1", "--gpu-hour-price", "2", "--slo", "p99:tpot<=20ms", "--out", analysis);
        Assert.True(ac == 0, ae);
        return (h100, h200, Path.Combine(analysis, "analysis.json"));
    });

    private static double Point(string predictionJson, int concurrency, string key)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(predictionJson));
        return doc.RootElement.GetProperty("points").EnumerateArray().First(p => p.GetProperty("concurrency").GetInt32() == concurrency).GetProperty(key).GetDouble();
    }

    private static string RowOf(string output, string concurrency, string key) =>
        output.Split('\n').Single(l => l.StartsWith(concurrency.PadRight(11) + " inf", StringComparison.Ordinal) && l.Contains(" " + key + " ", StringComparison.Ordinal));

    [Fact]
    public async Task TwoTraceReplaysPairByTheirTrace()
    {
        using var dir = new TempDir();
        var trace = dir.Write("trace.csv", "arrival_s,input_tokens,output_tokens\n" +
            string.Concat(Enumerable.Range(0, 60).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i / 10.0:0.##},{256 + i % 7 * 64},{16 + i % 5 * 8}\n"))));
        async Task<string> Replay(string gpu)
        {
            var (code, _, e) = await Run("predict", "--model", "llama-3.1-8b", "--gpu", gpu, "--workload", trace, "--out", Path.Combine(dir.Path, gpu));
            Assert.True(code == 0, e);
            return Path.Combine(dir.Path, gpu, "prediction.json");
        }
        var (a, b) = (await Replay("h100-sxm"), await Replay("h200"));
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(a)))
            Assert.True(doc.RootElement.GetProperty("points")[0].TryGetProperty("trace", out _), "the replayed point names its trace");
        var (c, o, err) = await Run("compare", a, b);
        Assert.True(c == 0, err);
        Assert.Contains(" trace ", o);
        Assert.Contains("median_tpot_ms", o);
        Assert.DoesNotContain("only in", o);
    }

    [Fact]
    public async Task TwoPredictionsPairPointsByLoadWithBOverARatios()
    {
        var (h100, h200, _) = await Files.Value;
        var (code, o, e) = await Run("compare", h100, h200);
        Assert.True(code == 0, e);
        Assert.Contains($"A: {h100} (llama-3.1-8b on NVIDIA H100 SXM5 80GB", o);
        Assert.Contains($"B: {h200} (llama-3.1-8b on NVIDIA H200", o);
        Assert.Contains("concurrency request_rate metric                                  A              B       B/A", o);
        foreach (var key in new[] { "median_ttft_ms", "p99_ttft_ms", "median_tpot_ms", "p99_tpot_ms", "output_throughput", "cost_per_1m_output_tokens", "meets_slo", "sol_fraction" })
            RowOf(o, "4", key);
        var a = Point(h100, 4, "output_throughput");
        var b = Point(h200, 4, "output_throughput");
        var row = RowOf(o, "4", "output_throughput");
        Assert.Contains(a.ToString("N1", CultureInfo.InvariantCulture), row);
        Assert.EndsWith((b / a).ToString("N3", CultureInfo.InvariantCulture) + "x", row.TrimEnd());
        Assert.Contains("only in A: concurrency 8, request_rate inf", o);
        Assert.Contains("only in B: concurrency 16, request_rate inf", o);
        Assert.DoesNotContain(o.Split('\n'), l => l.StartsWith("8 ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task APredictionAgainstAnAnalysisGivesTheErrorOfEachFigure(bool analysisFirst)
    {
        var (h100, _, analysis) = await Files.Value;
        var (code, o, e) = await Run(analysisFirst ? ["compare", analysis, h100] : ["compare", h100, analysis]);
        Assert.True(code == 0, e);
        Assert.StartsWith($"predicted: {h100}", o);
        Assert.Contains($"measured: {analysis} (2 points, 1 GPUs", o);
        Assert.Contains("concurrency request_rate metric                           measured      predicted   error %", o);
        // The synthetic c8 run states output_throughput 700 (TestFiles.Legacy).
        var predicted = Point(h100, 8, "output_throughput");
        var row = RowOf(o, "8", "output_throughput");
        Assert.Contains("700.0", row);
        var error = (predicted - 700) / 700 * 100;
        Assert.EndsWith((error >= 0 ? "+" : "") + error.ToString("N1", CultureInfo.InvariantCulture) + "%", row.TrimEnd());
        RowOf(o, "4", "p99_tpot_ms");
        Assert.Contains("output_throughput: median |error|", o);
        Assert.Contains("over 2 points", o);
    }

    [Fact]
    public async Task MixedKindsOtherThanPredictionAndAnalysisAreOneUsageLine()
    {
        var (h100, _, _) = await Files.Value;
        var ceilings = Path.Combine(Dir.Path, "ceilings.json");
        File.WriteAllText(ceilings, """{"schema": "micro.ceilings/2", "devices": []}""");
        var (code, _, e) = await Run("compare", h100, ceilings);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("cannot compare a prediction with a ceilings", Assert.Single(e.Trim().Split('\n')));
    }

    public static TheoryData<string, string, string> Hostile => new()
    {
        { "wrong-schema.json", """{"schema": "micro.prediction/9", "points": []}""", "schema: unsupported schema 'micro.prediction/9', expected 'micro.prediction/1'" },
        { "truncated.json", """{"schema": "micro.prediction/1", "model": "m", "points": [{"concurrency": 4, "request_""", "truncated JSON" },
        { "bad-rate.json", """{"schema": "micro.prediction/1", "model": "m", "hardware": "h", "hardware_label": "l", "deployment": "d", "billed_gpus": 1, "isl": 1, "osl": 1, "points": [{"concurrency": 4, "request_rate": "fast"}]}""", "points[0]" },
        { "not-points.json", """{"schema": "micro.prediction/1", "points": {"a": 1}}""", "points: required array is missing" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task AHostilePredictionIsOneLineExitTwo(string name, string text, string reason)
    {
        var (h100, _, _) = await Files.Value;
        var path = Path.Combine(Dir.Path, name);
        File.WriteAllText(path, text);
        var (code, o, e) = await Run("compare", h100, path);
        Assert.Equal(ExitCodes.Usage, code);
        var line = Assert.Single(e.Trim().Split('\n'));
        Assert.Contains(path, line);
        Assert.Contains(reason, line);
        Assert.DoesNotContain("   at ", e);
        Assert.Equal("", o);
    }

    /// <summary>The h100 prediction edited: <paramref name="edit"/> applied to its parsed text.</summary>
    private static async Task<string> Edited(string name, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        var (h100, _, _) = await Files.Value;
        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(h100))!.AsObject();
        edit(root);
        var path = Path.Combine(Dir.Path, name);
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    [Fact]
    public async Task APredictionWrittenBeforeTheKeysAddedSinceIsStillRead()
    {
        var (h100, _, _) = await Files.Value;
        var old = await Edited("older.json", root =>
        {
            foreach (var key in new[] { "transferred_across", "parameters_from", "model_id_check", "sources" }) root.Remove(key);
            foreach (var point in root["points"]!.AsArray()) { point!.AsObject().Remove("interval"); point.AsObject().Remove("ttft_parts_ms"); }
        });
        var (code, o, e) = await Run("compare", old, h100);
        Assert.True(code == 0, e);
        Assert.Contains("4           inf          median_tpot_ms", o);
        Assert.EndsWith("1.000x", RowOf(o, "4", "median_tpot_ms").TrimEnd());
    }

    [Theory]
    [InlineData("missing", "points[1]", "required field(s) missing: 'median_tpot_ms'")]
    [InlineData("string", "points[1].preemptions", "expected a whole number, found a string")]
    [InlineData("zero-concurrency", "points[1].concurrency", "must be at least 1")]
    [InlineData("quality-string", "points[1].quality", "expected a number, found a string")]
    [InlineData("sent-null", "points[1].sent", "expected a whole number, found null")]
    public async Task APointOfTheWrongShapeIsOneLineNamingItsField(string how, string field, string reason)
    {
        var path = await Edited($"point-{how}.json", root =>
        {
            var point = root["points"]![1]!.AsObject();
            switch (how)
            {
                case "missing": point.Remove("median_tpot_ms"); break;
                case "string": point["preemptions"] = "many"; break;
                case "quality-string": point["quality"] = "high"; break;
                case "sent-null": point["sent"] = null; break;
                default: point["concurrency"] = 0; break;
            }
        });
        var (h100, _, _) = await Files.Value;
        var (code, o, e) = await Run("compare", h100, path);
        Assert.Equal(ExitCodes.Usage, code);
        var line = Assert.Single(e.Trim().Split('\n'));
        Assert.Contains($"{path}: {field}: ", line);
        Assert.Contains(reason, line);
        Assert.Equal("", o);
    }

    [Fact]
    public async Task AHugeStringIsRefusedBeforeItIsRead()
    {
        var (h100, _, _) = await Files.Value;
        var path = Path.Combine(Dir.Path, "huge.json");
        File.WriteAllText(path, File.ReadAllText(h100).Replace("\"llama-3.1-8b\"", "\"" + new string('x', InputLimits.MaxStringBytes + 16) + "\""));
        try
        {
            var (code, _, e) = await Run("compare", path, h100);
            Assert.Equal(ExitCodes.Usage, code);
            var line = Assert.Single(e.Trim().Split('\n'));
            Assert.Contains($"{path}: model: a JSON string of", line);
            Assert.Contains("is longer than the 16,777,216 bytes (16 MiB) limit", line);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task ControlCharactersFromThePredictionNeverReachTheConsole()
    {
        var (h100, _, _) = await Files.Value;
        var path = Path.Combine(Dir.Path, "escape.json");
        File.WriteAllText(path, File.ReadAllText(h100).Replace("\"llama-3.1-8b\"", "\"llama\\u001b]0;pwned\\u0007\\nINJECTED\""));
        var (code, o, e) = await Run("compare", path, h100);
        Assert.True(code == 0, e);
        Assert.DoesNotContain('\u001b', o);
        Assert.DoesNotContain('\u0007', o);
        Assert.DoesNotContain(o.Split('\n'), l => l.StartsWith("INJECTED", StringComparison.Ordinal));
        Assert.Contains("llama]0;pwned INJECTED on", o);
    }
}
