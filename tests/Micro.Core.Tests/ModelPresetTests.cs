using System.Collections;
using System.Text;
using Micro.Core.Models;
using Micro.Core.Results;
using Micro.Tests.Shared;

namespace Micro.Core.Tests;

/// <summary>The one preset table: public names, full architecture fields equal to the public config.json copies, model ids.</summary>
public class ModelPresetTests
{
    /// <summary>The shared/data/models copy of each preset's config.json (aiconfigurator), or null where it has none.</summary>
    public static TheoryData<string, string?> PresetFiles => new()
    {
        { "llama-3.1-8b", "config_llama31_8b.json" },
        { "llama-3.1-70b", "config_llama31_70b.json" },
        { "llama-3.1-405b", null },
        { "qwen3-8b", "config_qwen3_8b.json" },
        { "qwen3-32b", null },
        { "qwen3-235b-a22b-fp8", null },
        { "mixtral-8x7b", "config_mixtral_8x7b.json" },
        { "deepseek-v3", "config_deepseek_v3.json" },
        { "gpt-oss-120b", "config_gpt_oss_120b.json" },
        { "gpt-oss-20b", null },
    };

    [Fact]
    public void ThePresetNamesAreAContract()
    {
        Assert.Equal(["llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "qwen3-8b", "qwen3-32b", "qwen3-235b-a22b-fp8", "mixtral-8x7b", "deepseek-v3", "gpt-oss-120b", "gpt-oss-20b"], ModelPresets.Names);
        Assert.Equal(PresetFiles.Select(r => r.Data.Item1), ModelPresets.Names);
    }

    [Theory]
    [MemberData(nameof(PresetFiles))]
    public void EveryFieldEqualsTheSharedConfigFile(string preset, string? file)
    {
        if (file is null) Assert.Skip($"shared/data/models holds no config.json of {preset}; its fields are pinned by PublicFactsOfThePresetsWithoutASharedCopy");
        var fromFile = ModelConfigReader.Read(TestPaths.SharedFile("models/" + file));
        Assert.True(ModelPresets.TryGet(preset, out var fromPreset));
        var compared = 0;
        foreach (var prop in typeof(ModelConfig).GetProperties())
        {
            // Identity, not architecture: the preset's name and Hugging Face id, the file's path.
            if (prop.Name is nameof(ModelConfig.Name) or nameof(ModelConfig.Source) or nameof(ModelConfig.ModelId)) continue;
            var a = prop.GetValue(fromFile);
            var b = prop.GetValue(fromPreset);
            if (a is IEnumerable ea and not string) Assert.True(ea.Cast<object?>().SequenceEqual(((IEnumerable)b!).Cast<object?>()), $"{preset}: {prop.Name} differs from {file}");
            else Assert.True(Equals(a, b), $"{preset}: {prop.Name} is {b} in the preset, {a} in {file}");
            compared++;
        }
        Assert.True(compared >= 25, $"compared only {compared} fields");
    }

    [Theory]
    [MemberData(nameof(PresetFiles))]
    public void EachPresetIsAFullModelNamingItsHubIdAndSource(string preset, string? file)
    {
        _ = file;
        var p = ModelPresets.Find(preset)!;
        var c = ModelPresets.Resolve(preset.ToUpperInvariant());
        Assert.Equal(preset, c.Name);
        Assert.Equal(p.HuggingFaceId, c.ModelId);
        Assert.Matches("^[A-Za-z0-9-]+/[A-Za-z0-9.-]+$", p.HuggingFaceId);
        Assert.StartsWith($"https://huggingface.co/{p.HuggingFaceId}/", p.Source);
        Assert.True(c.VocabSize > 0 && (c.IntermediateSize > 0 || c.MoeIntermediateSize > 0), preset + " lacks the linear-layer fields");
        Assert.Equal(c.NumLayers, c.LayerWindows.Count);
    }

    [Fact]
    public void PublicFactsOfThePresetsWithoutASharedCopy()
    {
        Assert.True(ModelPresets.TryGet("llama-3.1-405b", out var l));
        Assert.Equal((126, 16384, 53248, 128, 8, 128, 128256, "bfloat16"), (l.NumLayers, l.HiddenSize, l.IntermediateSize, l.NumAttentionHeads, l.NumKeyValueHeads, l.HeadDim, l.VocabSize, l.TorchDtype));
        Assert.Equal("meta-llama/Llama-3.1-405B-Instruct", l.ModelId);
        Assert.True(ModelPresets.TryGet("gpt-oss-20b", out var g));
        Assert.Equal((24, 2880, 2880, 64, 8, 64, 201088), (g.NumLayers, g.HiddenSize, g.IntermediateSize, g.NumAttentionHeads, g.NumKeyValueHeads, g.HeadDim, g.VocabSize));
        Assert.Equal((32, 4, "mxfp4", true), (g.NumExperts, g.ExpertsPerToken, g.QuantMethod, g.AttentionBias));
        Assert.Equal(Enumerable.Range(0, 24).Select(i => i % 2 == 0 ? 128 : (int?)null), g.LayerWindows);
        Assert.Contains("lm_head", g.ModulesNotConverted);
        Assert.Equal("openai/gpt-oss-20b", g.ModelId);
        Assert.True(ModelPresets.TryGet("qwen3-32b", out var q));
        Assert.Equal((64, 5120, 25600, 64, 8, 128, 151936, "bfloat16"), (q.NumLayers, q.HiddenSize, q.IntermediateSize, q.NumAttentionHeads, q.NumKeyValueHeads, q.HeadDim, q.VocabSize, q.TorchDtype));
        Assert.Equal((false, false), (q.TieWordEmbeddings, q.AttentionBias));
        Assert.Equal("Qwen/Qwen3-32B", q.ModelId);
        Assert.True(ModelPresets.TryGet("qwen3-235b-a22b-fp8", out var m));
        Assert.Equal((94, 4096, 1536, 64, 4, 128, 151936, "bfloat16"), (m.NumLayers, m.HiddenSize, m.MoeIntermediateSize, m.NumAttentionHeads, m.NumKeyValueHeads, m.HeadDim, m.VocabSize, m.TorchDtype));
        Assert.Equal((128, 8, "fp8", 0), (m.NumExperts, m.ExpertsPerToken, m.QuantMethod, m.FirstKDenseLayers));
        Assert.Contains("mlp.gate", m.ModulesNotConverted);
        Assert.Equal("Qwen/Qwen3-235B-A22B-FP8", m.ModelId);
    }

    [Fact]
    public void NeitherAPresetNorAFileIsOneLineNamingThePresets()
    {
        var e = Assert.Throws<InputException>(() => ModelPresets.Resolve("llama-9"));
        Assert.Equal("llama-9", e.File);
        Assert.Contains("gpt-oss-20b", e.Reason);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void AConfigFileNamesItsModelThroughNameOrPath()
    {
        var dir = Directory.CreateTempSubdirectory("micro-preset-").FullName;
        var path = Path.Combine(dir, "config.json");
        File.WriteAllText(path, """{"_name_or_path":"Qwen/Qwen3-8B","num_hidden_layers":2,"hidden_size":64,"num_attention_heads":4}""", Encoding.UTF8);
        Assert.Equal("Qwen/Qwen3-8B", ModelPresets.Resolve(path).ModelId);
        File.WriteAllText(path, """{"num_hidden_layers":2,"hidden_size":64,"num_attention_heads":4}""", Encoding.UTF8);
        Assert.Null(ModelPresets.Resolve(path).ModelId);
    }

    [Theory]
    [InlineData("openai/gpt-oss-120b", "openai/gpt-oss-120b", true)]
    [InlineData("OpenAI/GPT-OSS-120B", "openai/gpt-oss-120b", true)]
    [InlineData("gpt-oss-120b", "openai/gpt-oss-120b", true)]
    [InlineData("/data/weights/Llama-3.1-8B-Instruct/", "meta-llama/Llama-3.1-8B-Instruct", true)]
    // What the InferenceX gpt-oss sweep in shared/data/vllm records: vLLM served from the hub cache.
    [InlineData("/models/models--openai--gpt-oss-120b/snapshots/b5c939de8f754692c1647ca79fbf85e8c1e70f8a/", "openai/gpt-oss-120b", true)]
    [InlineData("/models/models--openai--gpt-oss-120b/snapshots/b5c939de8f754692c1647ca79fbf85e8c1e70f8a/", "openai/gpt-oss-20b", false)]
    [InlineData("meta-llama/Llama-3.1-70B-Instruct", "meta-llama/Llama-3.1-8B-Instruct", false)]
    [InlineData("m", "meta-llama/Llama-3.1-8B-Instruct", false)]
    // Variant tags keep the architecture: Meta's old repository names, base vs instruct.
    [InlineData("meta-llama/Meta-Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct", true)]
    [InlineData("meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B-Instruct", true)]
    [InlineData("Qwen/Qwen3-8B-Base", "Qwen/Qwen3-8B", true)]
    [InlineData("meta-llama/Meta-Llama-3-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct", false)]
    [InlineData("RedHatAI/Llama-3.1-8B-Instruct-FP8", "meta-llama/Llama-3.1-8B-Instruct", false)]
    [InlineData("", "openai/gpt-oss-120b", false)]
    public void RunModelIdsMatchCaseInsensitivelyOrByTheirLastPart(string runId, string named, bool same) =>
        Assert.Equal(same, ModelIds.Same(runId, named));

    [Theory]
    [InlineData("RedHatAI/Llama-3.1-8B-Instruct-FP8", "meta-llama/Llama-3.1-8B-Instruct", "fp8", true)]
    [InlineData("nvidia/Llama-3.1-8B-Instruct-FP8", "meta-llama/Llama-3.1-8B-Instruct", "fp8", true)]
    [InlineData("amd/Llama-3.1-70B-Instruct-FP8-KV", "meta-llama/Llama-3.1-70B-Instruct", "fp8", true)]
    [InlineData("nvidia/Llama-3.1-70B-Instruct-NVFP4", "nvidia/Llama-3.1-70B-Instruct-FP8", "nvfp4", true)]
    [InlineData("hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4", "meta-llama/Llama-3.1-8B-Instruct", "int4", true)]
    [InlineData("RedHatAI/Llama-3.1-8B-Instruct-W8A8", "meta-llama/Llama-3.1-8B-Instruct", "int8", true)]
    [InlineData("Qwen/Qwen3-8B-FP8", "Qwen/Qwen3-8B", "fp8", true)]
    [InlineData("nvidia/Llama-3.1-70B-Instruct-FP8", "meta-llama/Llama-3.1-8B-Instruct", "fp8", false)]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct", null, true)]
    [InlineData("-FP8", "meta-llama/Llama-3.1-8B-Instruct", null, false)]
    public void AQuantizedCheckpointIsItsModelsArchitectureAndNamesItsWeightDtype(string runId, string named, string? dtype, bool sameArchitecture)
    {
        Assert.Equal(dtype, ModelIds.SplitQuantization(runId).Dtype);
        Assert.Equal(sameArchitecture, ModelIds.SameArchitecture(runId, named));
    }
}
