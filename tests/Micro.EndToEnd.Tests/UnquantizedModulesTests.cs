using Micro.Core.Models;
using Micro.Core.Results;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Tests;

/// <summary>The modules a checkpoint keeps out of quantization, as plain names and as compressed-tensors' "re:" patterns.</summary>
public class UnquantizedModulesTests
{
    /// <summary>A small DeepSeek-V3-shaped MoE (routed and shared experts, one dense layer) with the given ignore list.</summary>
    private static ModelConfig Moe(string ignore)
    {
        using var dir = new TempDir();
        return ModelConfigReader.Read(dir.Write("config.json", $$$"""
            {"model_type": "deepseek_v3", "hidden_size": 1024, "intermediate_size": 2048, "moe_intermediate_size": 256,
             "num_attention_heads": 8, "num_key_value_heads": 8, "num_hidden_layers": 2, "vocab_size": 1000, "n_routed_experts": 16,
             "num_experts_per_tok": 2, "n_shared_experts": 1, "first_k_dense_replace": 1, "kv_lora_rank": 128, "q_lora_rank": 256,
             "qk_rope_head_dim": 32, "qk_nope_head_dim": 64, "v_head_dim": 64, "torch_dtype": "bfloat16", "tie_word_embeddings": false,
             "quantization_config": {"quant_method": "compressed-tensors", "format": "pack-quantized",
               "config_groups": {"group_0": {"weights": {"num_bits": 4, "type": "int", "group_size": 32}, "targets": ["Linear"]}},
               "ignore": {{{ignore}}}}}
            """));
    }

    [Fact]
    public void KimiK25sRegexIgnoreListKeepsAttentionAndTheDenseAndSharedMlpsButQuantizesTheRoutedExperts()
    {
        // moonshotai/Kimi-K2.5's own list: read as substrings, "re:.*shared_experts.*" had kept the routed experts in bf16 (2 TB).
        var w = WeightFormat.For(Moe("""["lm_head", "re:.*self_attn.*", "re:.*shared_experts.*", "re:.*mlp\\.(gate|up|gate_up|down)_proj.*"]"""), null);
        Assert.Equal("int4", w.Quantized);
        Assert.False(w.AttentionQuantized);
        Assert.False(w.MlpQuantized);
        Assert.True(w.ExpertsQuantized);
    }

    [Theory]
    [InlineData("""["model.layers.*.mlp.shared_experts"]""", true, false)]
    [InlineData("""["model.layers.*.mlp.experts"]""", false, true)]
    [InlineData("""["re:model\\.layers\\.\\d+\\.mlp\\.experts\\..*"]""", false, true)]
    [InlineData("""["re:experts"]""", true, true)]
    public void SharedExpertsAreNotTheRoutedOnesAndPatternsMatchFromTheStartOfAName(string ignore, bool expertsQuantized, bool mlpQuantized)
    {
        var w = WeightFormat.For(Moe(ignore), null);
        Assert.Equal(expertsQuantized, w.ExpertsQuantized);
        Assert.Equal(mlpQuantized, w.MlpQuantized);
        Assert.True(w.AttentionQuantized);
    }

    [Fact]
    public void APatternThatBacktracksWithoutEndIsStoppedAndNamed()
    {
        // Nested quantifiers over a module name's word characters: exponential backtracking once the final 'X' fails.
        var e = Assert.Throws<InputException>(() => WeightFormat.For(Moe("""["re:(\\w+\\.?)+X"]"""), null));
        Assert.Equal("quantization_config.ignore", e.Field);
        Assert.Contains("take more than 1 s to match", e.Reason);
    }

    [Fact]
    public void APatternThatIsNotARegularExpressionIsOneLineNamingTheField()
    {
        var e = Assert.Throws<InputException>(() => WeightFormat.For(Moe("""["re:.*(self_attn"]"""), null));
        Assert.Equal("quantization_config.ignore", e.Field);
        Assert.Contains("is not a regular expression", e.Reason);
        Assert.DoesNotContain('\n', e.Message);
    }
}
