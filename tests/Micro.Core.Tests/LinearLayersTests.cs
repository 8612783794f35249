using Micro.Core.Models;
using Micro.Core.Results;
using Micro.Tests.Shared;

namespace Micro.Core.Tests;

/// <summary>The per-GPU linear layers of a model (what `micro gemm --model` measures and predict looks up), sharded as vLLM does.</summary>
public class LinearLayersTests
{
    private static ModelConfig Llama8B(int intermediate = 14336, int vocab = 128256) => new()
    {
        Name = "llama-3.1-8b", ModelType = "llama", NumLayers = 32, HiddenSize = 4096, IntermediateSize = intermediate,
        NumAttentionHeads = 32, NumKeyValueHeads = 8, HeadDim = 128, VocabSize = vocab, TorchDtype = "bfloat16",
        LayerWindows = new int?[32],
    };

    private static string[] Table(IReadOnlyList<LinearLayer> layers) =>
        layers.Select(l => $"{l.Name} {l.N}x{l.K} x{l.Layers} {l.Sharding}").ToArray();

    [Fact]
    public void Llama_3_1_8b_at_tp1_is_its_full_shapes()
    {
        Assert.Equal(
        [
            "qkv_proj 6144x4096 x32 Column", "o_proj 4096x4096 x32 Row", "gate_up_proj 28672x4096 x32 Column",
            "down_proj 4096x14336 x32 Row", "lm_head 128256x4096 x1 Column",
        ], Table(LinearLayers.Of(Llama8B(), 1)));
    }

    [Fact]
    public void Llama_3_1_8b_at_tp2_splits_N_of_column_and_K_of_row_parallel_layers()
    {
        Assert.Equal(
        [
            "qkv_proj 3072x4096 x32 Column", "o_proj 4096x2048 x32 Row", "gate_up_proj 14336x4096 x32 Column",
            "down_proj 4096x7168 x32 Row", "lm_head 64128x4096 x1 Column",
        ], Table(LinearLayers.Of(Llama8B(), 2)));
    }

    [Fact]
    public void Tp_beyond_the_kv_heads_keeps_one_kv_head_per_rank()
    {
        // 32 query heads / 16 = 2 per rank; 8 KV heads are replicated so each rank still holds one K and one V head.
        var qkv = LinearLayers.Of(Llama8B(), 16).Single(l => l.Name == "qkv_proj");
        Assert.Equal((2 + 2 * 1) * 128, qkv.N);
    }

    [Fact]
    public void Mixtral_experts_are_one_expert_sharded_like_the_mlp_and_the_router_is_replicated()
    {
        var m = ModelConfigReader.Read(TestPaths.SharedFile("models/config_mixtral_8x7b.json"));
        Assert.Equal(
        [
            "qkv_proj 3072x4096 x32 Column", "o_proj 4096x2048 x32 Row", "router 8x4096 x32 Replicated",
            "experts.gate_up_proj 14336x4096 x32 Column", "experts.down_proj 4096x7168 x32 Row", "lm_head 16000x4096 x1 Column",
        ], Table(LinearLayers.Of(m, 2)));
        // Under expert parallelism each rank holds whole experts.
        Assert.Equal(28672, LinearLayers.Of(m, 2, expertParallel: true).Single(l => l.Name == "experts.gate_up_proj").N);
    }

    [Fact]
    public void Gpt_oss_120b_at_tp8()
    {
        var m = ModelConfigReader.Read(TestPaths.SharedFile("models/config_gpt_oss_120b.json"));
        Assert.Equal(
        [
            "qkv_proj 640x2880 x36 Column", "o_proj 2880x512 x36 Row", "router 128x2880 x36 Replicated",
            "experts.gate_up_proj 720x2880 x36 Column", "experts.down_proj 2880x360 x36 Row", "lm_head 25136x2880 x1 Column",
        ], Table(LinearLayers.Of(m, 8)));
    }

    [Fact]
    public void Deepseek_v3_lists_mla_projections_dense_and_shared_expert_layers()
    {
        var m = ModelConfigReader.Read(TestPaths.SharedFile("models/config_deepseek_v3.json"));
        Assert.Equal(
        [
            "fused_qkv_a_proj 2112x7168 x61 Replicated", "q_b_proj 3072x1536 x61 Column", "kv_b_proj 4096x512 x61 Column",
            "o_proj 7168x2048 x61 Row", "gate_up_proj 4608x7168 x3 Column", "down_proj 7168x2304 x3 Row",
            "shared_experts.gate_up_proj 512x7168 x58 Column", "shared_experts.down_proj 7168x256 x58 Row", "router 256x7168 x58 Replicated",
            "experts.gate_up_proj 512x7168 x58 Column", "experts.down_proj 7168x256 x58 Row", "lm_head 16160x7168 x1 Column",
        ], Table(LinearLayers.Of(m, 8)));
    }

    [Theory]
    [InlineData(1, 1)]      // one token: each of its k experts gets one row
    [InlineData(8, 2)]      // 16 routed rows over 8 * (1 - 0.75^8) = 7.2 active experts
    [InlineData(8192, 2048)] // every expert active: 8192 * 2 / 8
    public void Tokens_per_expert_spread_the_routed_rows_over_the_active_experts(int tokens, int expected)
    {
        var mixtral = Llama8B() with { Name = "mixtral", NumExperts = 8, ExpertsPerToken = 2 };
        Assert.Equal(expected, LinearLayers.TokensPerExpert(mixtral, tokens));
        Assert.Equal(tokens, LinearLayers.TokensPerExpert(Llama8B(), tokens));
    }

    [Theory]
    [InlineData(3, "--tp: 3: does not divide the 32 attention heads")]
    [InlineData(0, "--tp: 0: must be at least 1")]
    public void Head_rules_are_one_line_naming_tp(int tp, string expected) =>
        Assert.StartsWith(expected, Assert.Throws<InputException>(() => LinearLayers.CheckForMeasurement(Llama8B(), tp)).Message);

    [Fact]
    public void Measurement_needs_the_fields_that_size_the_layers_and_tp_dividing_them()
    {
        Assert.Equal("llama-3.1-8b: vocab_size: required to size the lm_head GEMM: missing or 0",
            Assert.Throws<InputException>(() => LinearLayers.CheckForMeasurement(Llama8B(vocab: 0), 1)).Message);
        Assert.Equal("llama-3.1-8b: intermediate_size: required to size the MLP GEMMs: missing or 0",
            Assert.Throws<InputException>(() => LinearLayers.CheckForMeasurement(Llama8B(intermediate: 0), 1)).Message);
        Assert.Equal("--tp: 2: does not divide intermediate_size (14335) of llama-3.1-8b: vLLM cannot shard it",
            Assert.Throws<InputException>(() => LinearLayers.CheckForMeasurement(Llama8B(intermediate: 14335), 2)).Message);
        LinearLayers.CheckForMeasurement(Llama8B(), 8);
    }
}
