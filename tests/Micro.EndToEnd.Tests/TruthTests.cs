using Micro.Cli;
using Micro.Core.Models;
using Micro.EndToEnd.Analysis;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Tests;

/// <summary>Points above speed of light are named, not praised; quantization hinted by names is said.</summary>
public class TruthTests
{
    private static SolModel Llama8B(TempDir dir)
    {
        var m = ModelConfigReader.Read(dir.Write("config.json", SpeedOfLightTests.Llama8BConfig));
        return new SolModel(m, WeightFormat.For(m, null), HardwareProfile.FromDatasheet("h100-sxm"), 1, 2, ParameterCountMode.DecodeReads);
    }

    [Fact]
    public void APointAboveSpeedOfLightIsFlaggedAndNeverClosestToSol()
    {
        using var dir = new TempDir();
        var sol = Llama8B(dir);
        // Batch 4 at context 1,536: the bound is about 4 / 4.8 ms = 830 tok/s; 2,000 tok/s is impossible.
        var impossible = dir.Write("c4.json", TestFiles.Legacy(4, 2000, 20));
        var real = dir.Write("c8.json", TestFiles.Legacy(8, 900, 9));
        var points = ResultSetLoader.Load([impossible, real]);
        var r = Analyzer.Analyze(points, new AnalysisOptions { Sol = sol, PriceSource = "none" }, [impossible, real]);
        var above = r.Points.Single(p => p.Concurrency == 4);
        var below = r.Points.Single(p => p.Concurrency == 8);
        Assert.True(above.SolFraction > 1);
        Assert.True(above.AboveSol);
        Assert.Contains(above.AboveSolCauses, c => c.Contains("speculative decoding", StringComparison.Ordinal));
        Assert.Contains(above.AboveSolCauses, c => c.Contains("quantized weights", StringComparison.Ordinal));
        Assert.Contains(above.Diagnosis, l => l.StartsWith("Above speed of light: output", StringComparison.Ordinal));
        Assert.DoesNotContain(above.Diagnosis, l => l.Contains("above the floor", StringComparison.Ordinal));
        Assert.False(below.AboveSol);
        Assert.True(below.SolFraction < 1);
        Assert.Equal(8, r.ClosestToSol!.Concurrency);
        Assert.Contains(r.Diagnosis, l => l.StartsWith("Closest to speed of light: concurrency 8 ", StringComparison.Ordinal));
        Assert.Contains(r.Diagnosis, l => l.StartsWith("1 point(s) above speed of light (concurrency 4)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConsoleAndAnalysisJsonSayAboveSpeedOfLight()
    {
        using var dir = new TempDir();
        var cfg = dir.Write("config.json", SpeedOfLightTests.Llama8BConfig);
        var f = dir.Write("c4.json", TestFiles.Legacy(4, 2000, 20));
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(["analyze", f, "--model", cfg, "--gpu", "h100-sxm", "--out", Path.Combine(dir.Path, "out")], o, e);
        Assert.True(code == 0, e.ToString());
        Assert.Contains("above speed of light", o.ToString());
        var json = File.ReadAllText(Path.Combine(dir.Path, "out", "analysis.json"));
        Assert.Contains("\"above_sol\": true", json);
        Assert.Contains("\"above_sol_causes\": [", json);
        // The only point is above speed of light: nothing is "closest" (null, left out of the file).
        Assert.Null(AnalysisJson.Read(Path.Combine(dir.Path, "out", "analysis.json")).ClosestToSol);
        Assert.Contains("above speed of light", File.ReadAllText(Path.Combine(dir.Path, "out", "report.md")));
    }

    [Fact]
    public async Task AnFp8ModelIdWithABf16ConfigGetsOneWarningSayingWhatWasAssumed()
    {
        using var dir = new TempDir();
        var cfg = dir.Write("config.json", SpeedOfLightTests.Llama8BConfig);
        var f = dir.Write("r.json", TestFiles.Legacy(4, 500, 20).Replace("\"model_id\": \"m\"", "\"model_id\": \"neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8\""));
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CliApp.RunAsync(["analyze", f, "--model", cfg, "--gpu", "h100-sxm"], o, e);
        Assert.Equal(0, code);
        var line = Assert.Single(e.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("micro: warning: 'neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8' suggests fp8 weights", line);
        Assert.Contains("assumes all weights bf16", line);
        Assert.Contains("--weight-dtype fp8", line);
        var given = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["analyze", f, "--model", cfg, "--gpu", "h100-sxm", "--weight-dtype", "fp8"], new StringWriter(), given));
        Assert.Equal("", given.ToString());
    }

    [Theory]
    [InlineData("Meta-Llama-3.1-8B-FP8_tp1_len2048.json", "fp8")]
    [InlineData("Qwen2.5-72B-Instruct-AWQ", "awq")]
    [InlineData("Llama-3.1-70B-GPTQ-Int4", "gptq")]
    [InlineData("DeepSeek-R1-NVFP4", "nvfp4")]
    [InlineData("gpt-oss-120b-mxfp4", "mxfp4")]
    [InlineData("Meta-Llama-3.1-8B-Instruct", null)]
    public void NamesHintAtTheirWeightFormat(string name, string? dtype) => Assert.Equal(dtype, QuantizationHint.DtypeIn(name));

    [Theory]
    [InlineData("""{"quant_method": "fbgemm_fp8"}""", "fp8", 1.0)]
    [InlineData("""{"quant_method": "modelopt", "quant_algo": "NVFP4"}""", "nvfp4", 0.5625)]
    [InlineData("""{"quant_method": "modelopt", "quant_algo": "FP8"}""", "fp8", 1.0)]
    [InlineData("""{"quant_method": "compressed-tensors", "config_groups": {"group_0": {"weights": {"num_bits": 8, "type": "float"}}}}""", "fp8", 1.0)]
    [InlineData("""{"quant_method": "compressed-tensors", "config_groups": {"group_0": {"weights": {"num_bits": 4, "type": "int"}}}}""", "int4", 0.515625)]
    public void QuantMethodsMapToTheirWeightFormats(string quantizationConfig, string dtype, double bytes)
    {
        using var dir = new TempDir();
        var cfg = SpeedOfLightTests.Llama8BConfig.TrimEnd().TrimEnd('}') + ", \"quantization_config\": " + quantizationConfig + "}";
        var m = ModelConfigReader.Read(dir.Write("config.json", cfg));
        var w = WeightFormat.For(m, null);
        Assert.Equal(dtype, w.Quantized);
        Assert.Equal(bytes, w.QuantizedBytes, 9);
        Assert.Null(QuantizationHint.Check(m, null, w, ["Meta-Llama-3.1-8B-FP8"]));
    }
}

/// <summary>Multimodal checkpoints nest the language model under text_config but keep quantization_config at the top
/// (nvidia's NVFP4 Kimi-K2.5, Gemma-4, Qwen3.5); modelopt and compressed-tensors name the modules they leave in the base
/// dtype `ignore` (modelopt's hf_quant_config.json: `exclude_modules`).</summary>
public class NestedQuantizationConfigTests
{
    private const string KimiLike = """
        {"architectures": ["KimiK25ForConditionalGeneration"], "model_type": "kimi_k25", "dtype": "bfloat16", "_name_or_path": "nvidia/Kimi-K2.5-NVFP4",
         "quantization_config": {"quant_method": "modelopt", "quant_algo": "NVFP4",
           "config_groups": {"group_0": {"weights": {"num_bits": 4, "type": "float", "group_size": 16}, "targets": ["Linear"]}},
           "ignore": ["language_model.lm_head", "language_model.model.layers.0.self_attn*", "language_model.model.layers.1.self_attn*", "vision_tower*"]},
         "text_config": {"model_type": "deepseek_v3", "_name_or_path": "", "hidden_size": 1024, "intermediate_size": 2048, "moe_intermediate_size": 256,
           "num_attention_heads": 8, "num_key_value_heads": 8, "num_hidden_layers": 2, "vocab_size": 1000, "n_routed_experts": 16,
           "num_experts_per_tok": 2, "n_shared_experts": 1, "first_k_dense_replace": 1, "kv_lora_rank": 128, "q_lora_rank": 256,
           "qk_rope_head_dim": 32, "qk_nope_head_dim": 64, "v_head_dim": 64, "dtype": "bfloat16", "tie_word_embeddings": false},
         "vision_config": {"hidden_size": 64}}
        """;

    [Fact]
    public void TheTopLevelQuantizationConfigAndIdApplyToTheNestedLanguageModel()
    {
        using var dir = new TempDir();
        var m = ModelConfigReader.Read(dir.Write("config.json", KimiLike));
        Assert.Equal((2, 1024, 16), (m.NumLayers, m.HiddenSize, m.NumExperts ?? 0));
        Assert.Equal(("modelopt", "NVFP4"), (m.QuantMethod, m.QuantDetail));
        Assert.Equal("nvidia/Kimi-K2.5-NVFP4", m.ModelId);
        var w = WeightFormat.For(m, null);
        Assert.Equal("nvfp4", w.Quantized);
        Assert.Equal(4.5 / 8, w.QuantizedBytes, 12);
        // The ignored attention stays in bf16; the experts and MLPs are quantized.
        Assert.False(w.AttentionQuantized);
        Assert.True(w.ExpertsQuantized && w.MlpQuantized);
        Assert.Contains("attention kept in the base dtype", w.Assumption);
    }

    [Fact]
    public void TheLanguageModelsOwnQuantizationConfigWins()
    {
        using var dir = new TempDir();
        var own = KimiLike.Replace("\"dtype\": \"bfloat16\", \"tie_word_embeddings\": false}",
            "\"dtype\": \"bfloat16\", \"tie_word_embeddings\": false, \"quantization_config\": {\"quant_method\": \"fbgemm_fp8\"}}", StringComparison.Ordinal);
        Assert.NotEqual(KimiLike, own);
        var m = ModelConfigReader.Read(dir.Write("config.json", own));
        Assert.Equal("fp8", WeightFormat.For(m, null).Quantized);
        Assert.True(WeightFormat.For(m, null).AttentionQuantized);
    }

    [Theory]
    [InlineData("ignore")]
    [InlineData("exclude_modules")]
    [InlineData("modules_to_not_convert")]
    public void EachNameForTheModulesLeftUnquantizedKeepsThemInTheBaseDtype(string key)
    {
        using var dir = new TempDir();
        var cfg = SpeedOfLightTests.Llama8BConfig.TrimEnd().TrimEnd('}') +
                  $$$""", "quantization_config": {"quant_method": "modelopt", "quant_algo": "FP8", "{{{key}}}": ["lm_head", "model.layers.*.self_attn*"]}}""";
        var w = WeightFormat.For(ModelConfigReader.Read(dir.Write("config.json", cfg)), null);
        Assert.Equal("fp8", w.Quantized);
        Assert.False(w.AttentionQuantized);
        Assert.True(w.MlpQuantized);
    }
}

public class MaxWindowLayersTests
{
    [Fact]
    public void OnlyLayersAtOrPastMaxWindowLayersUseTheSlidingWindow()
    {
        using var dir = new TempDir();
        var m = ModelConfigReader.Read(dir.Write("config.json", """
            {"model_type": "qwen2", "hidden_size": 1024, "intermediate_size": 2816, "num_attention_heads": 16, "num_key_value_heads": 4,
             "num_hidden_layers": 8, "vocab_size": 1000, "use_sliding_window": true, "sliding_window": 128, "max_window_layers": 6}
            """));
        Assert.Equal([null, null, null, null, null, null, 128, 128], m.LayerWindows);
        // KV at context 1,000: six full layers hold 1,000 tokens, two windowed layers 128.
        Assert.Equal(6 * 1000 + 2 * 128, Enumerable.Range(0, 8).Sum(l => m.KvTokensAt(l, 1000)));
    }
}
