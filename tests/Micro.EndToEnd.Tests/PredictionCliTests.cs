using System.Text.Json;
using Micro.Cli;
using Micro.EndToEnd.Ingest;
using Micro.Tests.Shared;

namespace Micro.EndToEnd.Tests;

/// <summary>`micro predict` end to end: outputs, the prediction.json contract, and every bad input as one line with exit 2.</summary>
public class PredictionCliTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private const string Llama8B = """{"model_type":"llama","num_hidden_layers":32,"hidden_size":4096,"intermediate_size":14336,"num_attention_heads":32,"num_key_value_heads":8,"vocab_size":128256,"torch_dtype":"bfloat16"}""";
    private const string Llama70B = """{"model_type":"llama","num_hidden_layers":80,"hidden_size":8192,"intermediate_size":28672,"num_attention_heads":64,"num_key_value_heads":8,"vocab_size":128256,"torch_dtype":"bfloat16"}""";

    private static readonly TempDir Configs = new();
    private static readonly string Llama = Configs.Write("llama-3.1-8b.json", Llama8B);

    private static string GoldenPath => Path.Combine(TestPaths.RepoRoot, "tests", "Micro.EndToEnd.Tests", "Golden", "prediction_keys.txt");

    [Fact]
    public async Task PredictWritesEveryOutputAndPinsThePredictionJsonKeys()
    {
        using var dir = new TempDir();
        var (code, o, e) = await Run("predict", "--model", Llama, "--gpu", "h100-sxm", "--concurrency", "1,8", "--isl", "512", "--osl", "32",
            "--num-prompts", "16", "--slo", "p99:tpot<=50ms", "--out", dir.Path);
        Assert.True(code == 0, e);
        Assert.Contains("datasheet, not measured", o);
        foreach (var f in new[] { "prediction.json", "points.csv", "report.md", "report.html", "predicted/predicted_c1.json", "predicted/predicted_c8.json" })
            Assert.True(new FileInfo(Path.Combine(dir.Path, f)).Length > 0, f);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir.Path, "prediction.json")));
        var root = doc.RootElement;
        Assert.Equal("micro.prediction/1", root.GetProperty("schema").GetString());
        var golden = File.ReadAllLines(GoldenPath).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(' ')).ToLookup(p => p[0], p => p[1]);
        Assert.Equal(golden["top"], root.EnumerateObject().Select(p => p.Name));
        var point = root.GetProperty("points")[0];
        Assert.Equal(golden["point"], point.EnumerateObject().Select(p => p.Name));
        Assert.Equal(golden["breakdown"], point.GetProperty("breakdown").EnumerateObject().Select(p => p.Name));
        Assert.Equal(golden["interval"], point.GetProperty("interval").EnumerateObject().Select(p => p.Name));
        var ttft = point.GetProperty("interval").GetProperty("median_ttft_ms");
        Assert.InRange(point.GetProperty("median_ttft_ms").GetDouble(), ttft[0].GetDouble(), ttft[1].GetDouble());
        Assert.Equal(1, point.GetProperty("concurrency").GetInt32());
        Assert.True(point.GetProperty("meets_slo").GetBoolean());
        // The predicted point is a vLLM result file: the ingest of `micro analyze` reads it like a run.
        var back = VllmResultReader.ReadFile(Path.Combine(dir.Path, "predicted", "predicted_c8.json"))[0];
        Assert.Equal(8, back.MaxConcurrency);
        Assert.Equal(16, back.Completed);
        Assert.Equal(point.GetProperty("num_prompts").GetInt32(), (int)back.NumPrompts!.Value);
    }

    [Fact]
    public async Task SearchFindsTheCheapestConfigurationAndItsFlags()
    {
        using var dir = new TempDir();
        var (code, o, e) = await Run("predict", "--model", Llama, "--gpu", "h100-sxm", "--gpus", "2", "--concurrency", "4", "--isl", "256", "--osl", "16",
            "--num-prompts", "8", "--max-num-seqs", "32", "--slo", "p99:tpot<=40ms", "--search", "--out", dir.Path);
        Assert.True(code == 0, e);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir.Path, "prediction.json")));
        var search = doc.RootElement.GetProperty("search");
        // TP 1 and 2 (both divide 8 KV heads) x c1..c32.
        Assert.Equal(12, search.GetProperty("rows").GetArrayLength());
        Assert.StartsWith("vllm serve llama-3.1-8b --tensor-parallel-size", search.GetProperty("vllm_serve").GetString());
        Assert.Contains("--max-concurrency", search.GetProperty("vllm_bench_serve").GetString());
        Assert.False(string.IsNullOrEmpty(search.GetProperty("binding_constraint").GetString()));
        Assert.Contains(search.GetProperty("rows").EnumerateArray(), r => r.GetProperty("on_frontier").GetBoolean());
        // An 8B model with 256/16 tokens never fills an 80 GB KV cache: two replicas of TP 1 sharing c1 or c2 are not KV-limited.
        Assert.All(search.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("concurrency").GetInt32() <= 2),
            r => Assert.False(r.GetProperty("kv_limited").GetBoolean()));
    }

    [Theory]
    [InlineData("--tp", "3", "--gpus", "3")]
    [InlineData("--tp", "1", "--gpus", "1", "--gpu-memory-utilization", "0.1")]
    [InlineData("--gpus", "2", "--prefill-gpus", "1")]
    [InlineData("--concurrency", "x")]
    public async Task BadDeploymentsAreOneLineExitTwo(params string[] extra)
    {
        var (code, o, e) = await Run(["predict", "--model", Llama, "--gpu", "h100-sxm", "--num-prompts", "4", "--isl", "64", "--osl", "4", .. extra]);
        Assert.Equal(2, code);
        Assert.Single(e.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", e);
    }

    [Fact]
    public async Task TpBreakingTheHeadRulesNamesThem()
    {
        var (code, _, e) = await Run("predict", "--model", Llama, "--gpu", "h100-sxm", "--gpus", "3", "--tp", "3", "--num-prompts", "4");
        Assert.Equal(2, code);
        Assert.Contains("attention heads", e);
    }

    [Fact]
    public async Task SearchWithoutTpStartsFromTheSmallestTpThatFits()
    {
        // 70B bf16 needs 141 GB of weights: TP 1 cannot hold it on an 80 GB GPU, so the search's base is TP 2 (and says so).
        using var dir = new TempDir();
        var (code, o, e) = await Run("predict", "--model", Configs.Write("llama-3.1-70b.json", Llama70B), "--gpu", "h100-sxm", "--gpus", "4",
            "--concurrency", "2", "--isl", "128", "--osl", "8", "--num-prompts", "4", "--max-num-seqs", "4", "--search", "--out", dir.Path);
        Assert.True(code == 0, e);
        Assert.Contains("TP 2,", o);
        var (code2, _, e2) = await Run("predict", "--model", Configs.Write("llama-3.1-70b.json", Llama70B), "--gpu", "l40s", "--gpus", "2",
            "--num-prompts", "4", "--search");
        Assert.Equal(2, code2);
        var line = Assert.Single(e2.Trim().Split('\n'));
        Assert.Contains("fits at no TP dividing the 2 GPUs", line);
    }

    [Fact]
    public async Task ModelNotFittingInMemorySaysSo()
    {
        var (code, _, e) = await Run("predict", "--model", Configs.Write("llama-3.1-70b.json", Llama70B), "--gpu", "l40s", "--num-prompts", "4");
        Assert.Equal(2, code);
        Assert.Contains("does not fit", e);
    }

    [Fact]
    public async Task CalibrationRunsOfDifferentModelsAreRefused()
    {
        using var dir = new TempDir();
        var a = dir.Write("a.json", TestFiles.Legacy(4, 400, 10));
        var b = dir.Write("b.json", TestFiles.Legacy(8, 700, 11).Replace("\"model_id\": \"m\"", "\"model_id\": \"other\""));
        var (code, _, e) = await Run("predict", "--model", Llama, "--gpu", "h100-sxm", "--calibrate", a, b, "--num-prompts", "4");
        Assert.Equal(2, code);
        Assert.Contains("model_id", e);
        Assert.Single(e.Trim().Split('\n'));
    }

    [Fact]
    public async Task ARunCannotBeBothCalibratedOnAndChecked()
    {
        using var dir = new TempDir();
        var a = dir.Write("a.json", TestFiles.Legacy(4, 400, 10));
        var (code, _, e) = await Run("predict", "--model", Llama, "--gpu", "h100-sxm", "--calibrate", a, "--check", a, "--num-prompts", "4");
        Assert.Equal(2, code);
        Assert.Contains("never fits", e);
    }
}
