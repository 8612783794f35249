using System.Text.Json;

namespace Micro.Cli.Tests;

/// <summary>
/// scripts/inferencemax-to-vllm: InferenceMAX's agg_bmk.json rows become result files `micro predict --check` reads,
/// with the median and the mean apart, the deployment in the `--metadata` keys and what was derived named; bad input is
/// one line and exit 2. The rows here are written by the test (InferenceMAX's own data stays out of the repository).
/// </summary>
public class InferenceMaxConverterTests
{
    private static object Row(string hw, int tp, int conc, double medianTtft, double meanTtft, string framework = "vllm") => new Dictionary<string, object>
    {
        ["hw"] = hw, ["conc"] = conc, ["image"] = "vllm/vllm-openai:v0.13.0", ["model"] = "openai/gpt-oss-120b", ["framework"] = framework,
        ["precision"] = "fp4", ["disagg"] = false, ["isl"] = 1024, ["osl"] = 1024, ["tp"] = tp, ["ep"] = 1, ["dp_attention"] = "false",
        ["tput_per_gpu"] = 2000.0, ["output_tput_per_gpu"] = 1000.0, ["mean_ttft"] = meanTtft, ["median_ttft"] = medianTtft,
        ["p99_ttft"] = 0.2, ["mean_tpot"] = 0.0061, ["median_tpot"] = 0.006, ["p99_tpot"] = 0.007,
    };

    private static (int Code, string Err) Convert(string outDir, string model, params string[] files) => ConvertWith(null, outDir, model, files);

    private static (int Code, string Err) ConvertWith(string? metadataByGpu, string outDir, string model, params string[] files)
    {
        var r = PythonScript.Run("inferencemax-to-vllm", new[] { outDir, model, "v0.13.0", "--" }.Concat(files),
            metadataByGpu is null ? null : new Dictionary<string, string> { ["METADATA_BY_GPU"] = metadataByGpu });
        return (r.Code, r.Err);
    }

    [Fact]
    public async Task RowsBecomeResultFilesThatPredictChecksOnTheirOwnDeployment()
    {
        var dir = CliRun.TempDir();
        var agg = Path.Combine(dir, "agg_bmk.json");
        // The second H100 row repeats the first configuration (kept once); the sglang row and the other model are skipped.
        await File.WriteAllTextAsync(agg, JsonSerializer.Serialize(new[]
        {
            Row("h100", 8, 16, 0.030, 0.045), Row("h100", 8, 16, 0.5, 0.5), Row("h200", 4, 16, 0.040, 0.060), Row("b200", 2, 16, 0.04, 0.05, framework: "sglang"),
        }), TestContext.Current.CancellationToken);
        var outDir = Path.Combine(dir, "out");
        var (code, err) = Convert(outDir, "gpt-oss", agg);
        Assert.True(code == 0, err);
        var files = Directory.GetFiles(outDir).Select(f => Path.GetFileName(f)).Order().ToArray();
        Assert.Equal(["h100-sxm_mxfp4_tp8ep1dp1_isl1024_osl1024_c16.json", "h200_mxfp4_tp4ep1dp1_isl1024_osl1024_c16.json"], files);

        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, files[0]), TestContext.Current.CancellationToken));
        var r = doc.RootElement;
        Assert.Equal(30.0, r.GetProperty("median_ttft_ms").GetDouble(), 9);
        Assert.Equal(45.0, r.GetProperty("mean_ttft_ms").GetDouble(), 9);
        Assert.Equal(6.0, r.GetProperty("median_tpot_ms").GetDouble(), 9);
        Assert.Equal(8000.0, r.GetProperty("output_throughput").GetDouble(), 9); // per GPU x TP 8
        Assert.Equal(160, r.GetProperty("num_prompts").GetInt32());
        Assert.Equal(16, r.GetProperty("max_concurrency").GetInt32());
        Assert.Equal("h100-sxm", r.GetProperty("gpu").GetString());
        Assert.Equal("8", r.GetProperty("tensor_parallel_size").GetString());
        Assert.Equal("mxfp4", r.GetProperty("quantization").GetString());
        Assert.Contains("num_prompts", r.GetProperty("derived_fields").EnumerateArray().Select(e => e.GetString()));

        // micro reads them and replays each on its own deployment.
        var (exit, stdout, stderr) = await CliRun.Run("predict", "--model", "gpt-oss-120b", "--gpu", "h100-sxm", "--tp", "8", "--gpus", "8",
            "--check", outDir, "--concurrency", "16", "--num-prompts", "160", "--verbose");
        Assert.True(exit == 0, stderr);
        Assert.Contains("h200 TP4 mxfp4", stdout);
        Assert.Contains("median_ttft_ms", stdout);
    }

    [Fact]
    public async Task Settings_stated_per_gpu_ride_in_the_files_and_are_named_as_stated()
    {
        var dir = CliRun.TempDir();
        var agg = Path.Combine(dir, "agg_bmk.json");
        await File.WriteAllTextAsync(agg, JsonSerializer.Serialize(new[] { Row("b200", 2, 16, 0.03, 0.04), Row("h200", 2, 16, 0.04, 0.05) }), TestContext.Current.CancellationToken);
        var outDir = Path.Combine(dir, "out");
        var (code, err) = ConvertWith("b200:kv_cache_dtype=fp8,quantization=mxfp4_mxfp8", outDir, "gpt-oss", agg);
        Assert.True(code == 0, err);
        Assert.Equal(["b200_mxfp4_mxfp8_tp2ep1dp1_isl1024_osl1024_c16.json", "h200_mxfp4_tp2ep1dp1_isl1024_osl1024_c16.json"],
            Directory.GetFiles(outDir).Select(f => Path.GetFileName(f)).Order().ToArray());
        using var b200 = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "b200_mxfp4_mxfp8_tp2ep1dp1_isl1024_osl1024_c16.json"), TestContext.Current.CancellationToken));
        Assert.Equal("fp8", b200.RootElement.GetProperty("kv_cache_dtype").GetString());
        Assert.Equal("mxfp4_mxfp8", b200.RootElement.GetProperty("quantization").GetString());
        Assert.Equal(["kv_cache_dtype", "quantization"], b200.RootElement.GetProperty("stated_fields").EnumerateArray().Select(e => e.GetString()!).ToArray());
        using var h200 = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "h200_mxfp4_tp2ep1dp1_isl1024_osl1024_c16.json"), TestContext.Current.CancellationToken));
        Assert.False(h200.RootElement.TryGetProperty("stated_fields", out _));
        Assert.False(h200.RootElement.TryGetProperty("kv_cache_dtype", out _));

        // micro reads the stated format: B200 with MXFP8 activations, H200 as W4A16.
        var (exit, stdout, stderr) = await CliRun.Run("predict", "--model", "gpt-oss-120b", "--gpu", "h100-sxm", "--tp", "8", "--gpus", "8",
            "--check", outDir, "--concurrency", "16", "--num-prompts", "160", "--verbose");
        Assert.True(exit == 0, stderr);
        Assert.Contains("b200 TP2 mxfp4_mxfp8", stdout);
    }

    [Theory]
    [InlineData("a100:kv_cache_dtype=fp8", "GPU one of")]
    [InlineData("b200:tensor_parallel_size=4", "KEY one of")]
    [InlineData("b200:kv_cache_dtype=fp8;rm -rf", "expected GPU:KEY=VALUE")]
    public void A_bad_per_gpu_setting_is_one_line_and_exit_two(string setting, string expected)
    {
        var dir = CliRun.TempDir();
        var (code, err) = ConvertWith(setting, Path.Combine(dir, "out"), "gpt-oss");
        Assert.Equal(2, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("micro: METADATA_BY_GPU: ", line);
        Assert.Contains(expected, line);
    }

    [Theory]
    [InlineData("{\"not\": \"a list\"}", "expected a JSON list")]
    [InlineData("[{\"framework\": \"vllm\", \"model\": \"gpt-oss\", \"hw\": \"h100\"}]", "[0].conc: missing")]
    [InlineData("[not json", "not valid JSON")]
    public async Task BadInputIsOneLineNamingTheFileAndFieldAndExitTwo(string content, string expected)
    {
        var dir = CliRun.TempDir();
        var agg = Path.Combine(dir, "agg_bmk.json");
        await File.WriteAllTextAsync(agg, content, TestContext.Current.CancellationToken);
        var (code, err) = Convert(Path.Combine(dir, "out"), "gpt-oss", agg);
        Assert.Equal(2, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("micro: " + agg + ": ", line);
        Assert.Contains(expected, line);
    }
}
