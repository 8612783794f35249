using Micro.Core.Models;
using Micro.Suites.Gemm;
using Micro.Tests.Shared;

namespace Micro.Gpu.Tests;

/// <summary>`micro gemm --model`: the case table, its public case ids and the params predict reads back (no GPU needed).</summary>
public class ModelGemmCasesTests
{
    private static ModelConfig Llama8B() => new()
    {
        Name = "llama-3.1-8b", ModelType = "llama", NumLayers = 32, HiddenSize = 4096, IntermediateSize = 14336,
        NumAttentionHeads = 32, NumKeyValueHeads = 8, HeadDim = 128, VocabSize = 128256, TorchDtype = "bfloat16",
        LayerWindows = new int?[32],
    };

    [Fact]
    public void Case_ids_are_dtype_model_layer_tp_then_MxNxK()
    {
        var cases = ModelGemmCases.For(Llama8B(), 2, [1, 128], null);
        Assert.Equal(
        [
            "bf16_llama-3.1-8b.qkv_proj.tp2_1x3072x4096", "bf16_llama-3.1-8b.qkv_proj.tp2_128x3072x4096",
            "bf16_llama-3.1-8b.o_proj.tp2_1x4096x2048", "bf16_llama-3.1-8b.o_proj.tp2_128x4096x2048",
            "bf16_llama-3.1-8b.gate_up_proj.tp2_1x14336x4096", "bf16_llama-3.1-8b.gate_up_proj.tp2_128x14336x4096",
            "bf16_llama-3.1-8b.down_proj.tp2_1x4096x7168", "bf16_llama-3.1-8b.down_proj.tp2_128x4096x7168",
            "bf16_llama-3.1-8b.lm_head.tp2_1x64128x4096", "bf16_llama-3.1-8b.lm_head.tp2_128x64128x4096",
        ], cases.Select(c => c.Name));
        // The preset scripts/device/h200.sh measures is the same model.
        Assert.Equal(cases.Select(c => c.Name), ModelGemmCases.For(ModelPresets.Resolve("llama-3.1-8b"), 2, [1, 128], null).Select(c => c.Name));
    }

    [Fact]
    public void Rows_carry_m_n_k_and_the_layer_so_predict_reads_them_unchanged()
    {
        var c = ModelGemmCases.For(Llama8B(), 1, [32], new HashSet<string> { "fp8" }).Single(c => c.Layer!.Layer == "down_proj");
        var p = GemmSuite.Point(c);
        Assert.Equal((32L, 4096L, 14336L), (p.M, p.N, p.K));
        Assert.Equal(("llama-3.1-8b", "down_proj", 1, 32), (p.Model, p.Layer, p.Tp, p.Tokens));
        Assert.Equal("llama-3.1-8b.down_proj.tp1", p.Shape);
        Assert.Equal(Micro.Core.Results.Points.GemmDtype.Fp8, p.Dtype);
        // The fixed sweep's rows have no model keys.
        Assert.Null(GemmSuite.Point(GemmCase.Sweep(true, null)[0]).Layer);
    }

    [Fact]
    public void Experts_run_at_one_experts_share_of_the_step_measured_once_per_M()
    {
        var m = ModelConfigReader.Read(TestPaths.SharedFile("models/config_gpt_oss_120b.json"));
        var experts = ModelGemmCases.For(m, 8, [1, 8, 8192], null).Where(c => c.Layer!.Layer == "experts.gate_up_proj").ToList();
        // 1 and 8 tokens both give each touched expert about one row: one case; 8192 tokens x 4 / 128 experts = 256 rows.
        Assert.Equal(["bf16_config-gpt-oss-120b.experts.gate_up_proj.tp8_1x720x2880", "bf16_config-gpt-oss-120b.experts.gate_up_proj.tp8_256x720x2880"],
            experts.Select(c => c.Name));
        Assert.Equal(8192, experts[1].Layer!.Tokens);
        // gpt-oss's expert down_proj at TP8 has K = 360, not a multiple of 16: said, not measured.
        var down = ModelGemmCases.For(m, 8, [1], null).Single(c => c.Layer!.Layer == "experts.down_proj");
        Assert.Equal("cuBLASLt GEMM: k=360 is not a multiple of 16 (not measured)", GemmSuite.LtShapeProblem(down));
        Assert.Null(GemmSuite.LtShapeProblem(experts[0]));
    }

    [Fact]
    public void Model_labels_keep_case_ids_parseable()
    {
        Assert.Equal("config-llama31-8b", ModelGemmCases.Label("config_llama31_8b"));
        Assert.Equal("meta-llama-llama-3.1-8b", ModelGemmCases.Label("meta-llama/Llama-3.1-8B"));
        Assert.Equal("model", ModelGemmCases.Label("__"));
    }

    [Fact]
    public void Without_a_model_the_options_give_the_fixed_sweep()
    {
        Assert.Equal(GemmCase.Sweep(false, null).Select(c => c.Name), new GemmOptions().Cases(false).Select(c => c.Name));
        Assert.Equal(5 * 7, new GemmOptions { Model = Llama8B() }.Cases(false).Count);
        Assert.Equal(ModelGemmCases.DefaultTokens, new GemmOptions().Tokens);
    }
}
