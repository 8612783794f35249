using Micro.Tests.Shared;
using Micro.Suites.Attention;
using Micro.Core.Models;

namespace Micro.Attention.Tests;

public class ShapeTests
{
    [Theory]
    [InlineData("llama-3.1-8b", 32, 8, 128)]
    [InlineData("llama-3.1-70b", 64, 8, 128)]
    [InlineData("qwen3-8b", 32, 8, 128)]
    [InlineData("mixtral-8x7b", 32, 8, 128)]
    [InlineData("gpt-oss-120b", 64, 8, 64)]
    public void PresetsGiveTheGqaShape(string name, int hq, int hkv, int d)
    {
        var m = AttentionModel.From(ModelPresets.Resolve(name));
        Assert.Equal((hq, hkv, d), (m.HeadsQ, m.HeadsKv, m.HeadDim));
        Assert.False(m.IsMla);
    }

    [Fact]
    public void DeepSeekPresetIsMlaWithScaleOverNopePlusRope()
    {
        var m = AttentionModel.From(ModelPresets.Resolve("deepseek-v3"));
        Assert.True(m.IsMla);
        Assert.Equal((128, 512, 64), (m.HeadsQ, m.LatentRank!.Value, m.RopeDim!.Value));
        Assert.Equal(1 / Math.Sqrt(192), m.MlaSoftmaxScale, 12);
    }

    [Fact]
    public void GptOssPresetAlternatesSlidingWindows()
    {
        var c = ModelPresets.Resolve("gpt-oss-120b");
        Assert.Equal(128, c.LayerWindows[0]);
        Assert.Null(c.LayerWindows[1]);
        Assert.Equal(128, AttentionModel.From(c).SlidingWindow);
    }

    [Theory]
    [InlineData("llama-3.1-8b", "config_llama31_8b.json")]
    [InlineData("llama-3.1-70b", "config_llama31_70b.json")]
    [InlineData("qwen3-8b", "config_qwen3_8b.json")]
    [InlineData("mixtral-8x7b", "config_mixtral_8x7b.json")]
    [InlineData("deepseek-v3", "config_deepseek_v3.json")]
    [InlineData("gpt-oss-120b", "config_gpt_oss_120b.json")]
    public void PresetsMatchTheSharedConfigFiles(string preset, string file)
    {
        var path = TestPaths.SharedFile("models/" + file);
        var fromFile = AttentionModel.From(ModelPresets.Resolve(path));
        var fromPreset = AttentionModel.From(ModelPresets.Resolve(preset));
        Assert.Equal(fromFile with { Name = "" }, fromPreset with { Name = "" });
        Assert.Equal(ModelPresets.Resolve(path).LayerWindows, ModelPresets.Resolve(preset).LayerWindows);
    }

    [Fact]
    public void UnknownModelFileFailsWithTheFileName()
    {
        var e = Assert.Throws<Micro.Core.Results.InputException>(() => ModelPresets.Resolve("/nonexistent/config.json"));
        Assert.Contains("/nonexistent/config.json", e.Message);
    }

    [Fact]
    public void DTypeEncodingRoundsToNearestEven()
    {
        Assert.Equal(1.0f, KvDTypes.Decode(KvDTypes.Encode(1.0f, KvDType.Bf16), KvDType.Bf16));
        // 1 + 2^-8 is halfway between bf16 1.0 and 1.0078125: ties to even -> 1.0.
        Assert.Equal(1.0f, KvDTypes.Decode(KvDTypes.Encode(1.00390625f, KvDType.Bf16), KvDType.Bf16));
        Assert.Equal(-0.5f, KvDTypes.Decode(KvDTypes.Encode(-0.5f, KvDType.Fp16), KvDType.Fp16));
    }
}
