using System.Globalization;
using System.Text;
using System.Text.Json;
using Micro.Cli;
using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.Prediction.Json;
using Micro.EndToEnd.Traffic;
using Micro.Tests.Shared;

namespace Micro.EndToEnd.Tests;

/// <summary>prediction.json and the predicted vLLM files are written from the records of Prediction/Json: the records hold
/// the pinned keys in their order, a non-finite number is written as null, and a file `micro predict` writes reads back
/// into the records and writes the same bytes (so no key is written outside them).</summary>
public class PredictionJsonRecordTests
{
    private static IReadOnlyList<string> Keys(JsonElement o) => o.EnumerateObject().Select(p => p.Name).ToList();

    private static JsonElement Json<T>(T value) => JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(value, PredictionJson.Options)).RootElement;

    private static ILookup<string, string> Golden() =>
        File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "tests", "Micro.EndToEnd.Tests", "Golden", "prediction_keys.txt"))
            .Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(' ')).ToLookup(p => p[0], p => p[1]);

    [Fact]
    public void AFullyPopulatedDocumentWritesThePinnedKeysInTheirOrder()
    {
        var golden = Golden();
        var doc = Json(SchemaKeys.Populate<PredictionDocument>());
        Assert.Equal(golden["top"].Append("plan"), Keys(doc));
        // The quality keys (--quality) and then the traffic keys (replays) stand between peak_kv_fraction and breakdown.
        var point = doc.GetProperty("points")[0];
        var pointKeys = golden["point"].ToList();
        var at = pointKeys.IndexOf("breakdown");
        Assert.Equal(pointKeys.Take(at).Concat(TrafficJson.QualityKeys).Concat(TrafficJson.PointKeys).Concat(pointKeys.Skip(at)), Keys(point));
        Assert.Equal(golden["breakdown"], Keys(point.GetProperty("breakdown")));
        Assert.Equal(golden["interval"], Keys(point.GetProperty("interval")));
        Assert.Equal(TrafficJson.WindowKeys, Keys(point.GetProperty("worst_window")));
        var plan = doc.GetProperty("plan");
        Assert.Equal(TrafficJson.PlanKeys, Keys(plan));
        Assert.Equal(TrafficJson.RowKeys, Keys(plan.GetProperty("rows")[0]));
        Assert.Equal(TrafficJson.UsefulWorkKeys, Keys(plan.GetProperty("useful_work")[0]));
    }

    /// <summary>A closed-loop point with every figure null.</summary>
    private static readonly PointJson Bare = new()
    {
        Concurrency = null, RequestRate = null, NumPrompts = 8, MeanTtftMs = null, MedianTtftMs = null, P99TtftMs = null, MeanTpotMs = null, MedianTpotMs = null,
        P99TpotMs = null, MedianItlMs = null, P99ItlMs = null, MedianE2elMs = null, P99E2elMs = null, OutputThroughput = null, RequestThroughput = null,
        TotalTokenThroughput = null, OutputThroughputPerGpu = null, RequestGoodput = null, CostPerRequest = null, CostPer1MOutputTokens = null, MeetsSlo = null,
        MissedSlos = [], SolFraction = null, MeanDecodeBatch = null, Preemptions = 0, PeakKvFraction = null, Breakdown = new(1, 2, 3, 4, 5, 6, 21),
    };

    [Fact]
    public void APointWithoutQualityOrTrafficHasNoneOfTheirKeysAndEveryOtherKeyEvenWhenNull()
    {
        var point = Json(Bare);
        Assert.Equal(Golden()["point"], Keys(point));
        Assert.Equal("inf", point.GetProperty("request_rate").GetString());
        Assert.Equal(JsonValueKind.Null, point.GetProperty("concurrency").ValueKind);
        Assert.Equal(JsonValueKind.Null, point.GetProperty("interval").ValueKind);
        // A quality key set to null is written as null: present and null is not absent.
        var quality = Json(Bare with { Quality = (double?)null, OnQualityFrontier = false });
        Assert.Equal(JsonValueKind.Null, quality.GetProperty("quality").ValueKind);
        Assert.False(quality.GetProperty("on_quality_frontier").GetBoolean());
        Assert.False(quality.TryGetProperty("quality_key", out _));
    }

    [Fact]
    public void ANonFiniteNumberIsWrittenAsNullNeverAsAName()
    {
        // Measured 0: the error is +Infinity; an interval with a NaN end is written null but stays present.
        var row = Json(ComparisonJson.From(new MetricComparison("run.json", 4, null, "median_tpot_ms", 0, 1) { Interval = (double.NaN, 2) }));
        Assert.Equal(JsonValueKind.Null, row.GetProperty("error_percent").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("interval").ValueKind);
        Assert.False(row.GetProperty("inside_interval").GetBoolean());
        Assert.False(row.TryGetProperty("deployment", out _));
        Assert.Equal(["source", "concurrency", "request_rate", "metric", "measured", "predicted", "error_percent", "interval", "inside_interval"], Keys(row));
        var breakdown = Json(StepBreakdownJson.From(new StepCost(double.PositiveInfinity, 0.001, 0, 0, 0, 0)));
        Assert.Equal(JsonValueKind.Null, breakdown.GetProperty("weights_ms").ValueKind);
        Assert.Equal(JsonValueKind.Null, breakdown.GetProperty("step_ms").ValueKind);
        Assert.Equal(1.0, breakdown.GetProperty("kv_ms").GetDouble());
        var text = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(new TtftPartsJson(double.NaN, 1, double.NegativeInfinity), PredictionJson.Options));
        Assert.DoesNotContain("NaN", text);
        Assert.DoesNotContain("Infinity", text);
    }

    [Theory]
    [InlineData("\"inf\"", null)]
    [InlineData("2.5", 2.5)]
    public void ARequestRateIsAPositiveNumberOrInf(string json, double? expected)
    {
        var row = JsonSerializer.Deserialize<ComparisonJson>($$"""{"source": "a", "metric": "m", "request_rate": {{json}}}""", PredictionJson.Options)!;
        Assert.Equal(expected, row.RequestRate);
    }

    [Theory]
    [InlineData("\"fast\"")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("null")]
    [InlineData("\"Infinity\"")]
    public void AnythingElseIsNotARequestRate(string json)
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ComparisonJson>($$"""{"source": "a", "metric": "m", "request_rate": {{json}}}""", PredictionJson.Options));
        Assert.Contains(RequestRateConverter.Expected, e.Message);
    }

    private static async Task<string> Predict(string dir, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(["predict", .. args, "--out", dir], o, e);
        Assert.True(code == 0, e.ToString());
        return Path.Combine(dir, "prediction.json");
    }

    private static void AssertRoundTrip<T>(string path)
    {
        var text = File.ReadAllText(path);
        var back = JsonSerializer.Deserialize<T>(text, PredictionJson.Options);
        Assert.Equal(text, Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(back, PredictionJson.Options)));
    }

    [Fact]
    public async Task APredictionWithQualityReadsBackIntoTheRecordsByteForByte()
    {
        using var dir = new TempDir();
        var q = dir.Write("quality.csv", "config,score\nllama-3.1-8b/bf16,0.72\n");
        var path = await Predict(dir.Path, "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--concurrency", "1,8", "--isl", "512", "--osl", "32",
            "--num-prompts", "16", "--slo", "p99:tpot<=50ms", "--gpu-hour-price", "2.5", "--quality", q);
        AssertRoundTrip<PredictionDocument>(path);
        AssertRoundTrip<PredictedResultJson>(Path.Combine(dir.Path, "predicted", "predicted_c8.json"));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        Assert.Equal(0.72, doc.RootElement.GetProperty("points")[0].GetProperty("quality").GetDouble());
    }

    [Fact]
    public async Task APlanWithADailyProfileAndASearchReadBackByteForByte()
    {
        using var dir = new TempDir();
        var trace = new StringBuilder("arrival_s,input_tokens,output_tokens\n");
        for (var i = 0; i < 200; i++) trace.Append(CultureInfo.InvariantCulture, $"{i / 20.0:0.####},{256 + i % 7 * 64},{16 + i % 5 * 8}\n");
        var day = new StringBuilder("hour,load\n");
        for (var h = 0; h < 24; h++) day.Append(CultureInfo.InvariantCulture, $"{h},{1 + h % 5}\n");
        var plan = await Predict(Path.Combine(dir.Path, "plan"), "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--workload", dir.Write("trace.csv", trace.ToString()),
            "--slo", "p95:ttft<=500ms", "--slo", "p95:tpot<=40ms", "--plan", "--plan-tp", "1,2", "--window-s", "5", "--timeout-s", "30",
            "--daily-profile", dir.Write("day.csv", day.ToString()), "--revenue-per-request", "0.002");
        AssertRoundTrip<PredictionDocument>(plan);
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(plan)))
        {
            Assert.Equal(24, doc.RootElement.GetProperty("plan").GetProperty("hourly_share").GetArrayLength());
            Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("points")[0].GetProperty("worst_window").ValueKind);
        }
        var search = await Predict(Path.Combine(dir.Path, "search"), "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--gpus", "2", "--concurrency", "4",
            "--isl", "256", "--osl", "16", "--num-prompts", "8", "--max-num-seqs", "32", "--slo", "p99:tpot<=40ms", "--search");
        AssertRoundTrip<PredictionDocument>(search);
    }

    [Fact]
    public async Task ACalibrationWithACheckReadsBackByteForByte()
    {
        var x = TestPaths.SharedFile("xhw/llama31-70b-vllm");
        using var dir = new TempDir();
        var path = await Predict(dir.Path, "--model", "llama-3.1-70b", "--gpu", "h100-sxm", "--gpus", "8", "--tp", "8", "--weight-dtype", "fp8", "--random-range-ratio", "0.8",
            "--calibrate", Path.Combine(x, "h100-sxm_fp8_tp8ep1dp1_isl1024_osl1024_c4.json"), Path.Combine(x, "h100-sxm_fp8_tp8ep1dp1_isl1024_osl1024_c32.json"),
            "--check", Path.Combine(x, "h100-sxm_fp8_tp8ep1dp1_isl1024_osl1024_c8.json"), Path.Combine(x, "h200_fp8_tp4ep1dp1_isl1024_osl1024_c16.json"),
            "--concurrency", "4", "--num-prompts", "40");
        AssertRoundTrip<PredictionDocument>(path);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var row = doc.RootElement.GetProperty("check").GetProperty("rows")[0];
        Assert.Equal(2, row.GetProperty("interval").GetArrayLength());
        Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("calibration").GetProperty("deployments")[0].GetProperty("parts").ValueKind);
    }
}
