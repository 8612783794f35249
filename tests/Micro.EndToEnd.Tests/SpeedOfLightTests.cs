using Micro.Core.Models;
using Micro.Core.Results;
using Micro.EndToEnd.SpeedOfLight;
using Micro.Tests.Shared;

namespace Micro.EndToEnd.Tests;

public class SpeedOfLightTests
{
    private static SolModel Llama8B(ParameterCountMode mode)
    {
        var m = ModelConfigReader.Read(TestPaths.SharedFile("models/config_llama31_8b.json"));
        return new SolModel(m, WeightFormat.For(m, null), HardwareProfile.FromDatasheet("h100-sxm"), 1, 2, mode);
    }

    [Fact]
    public void Llama8BParameterCountComesFromTheConfig()
    {
        var p = Llama8B(ParameterCountMode.AllParameters).Parameters;
        Assert.Equal(8.03e9, p.Total, tolerance: 0.005e9);
        // Untied 128,256 x 4,096 embedding: 0.53e9 parameters decode does not read.
        Assert.Equal(0.525e9, p.Embedding, tolerance: 0.001e9);
    }

    [Fact]
    public void Llama8BOnH100ReproducesTheWorkedNumbersOfDesign()
    {
        var sol = Llama8B(ParameterCountMode.AllParameters);
        Assert.Equal(3350, sol.Hardware.BandwidthGBps);
        Assert.False(sol.Hardware.Measured);
        Assert.Equal(131072, sol.KvBytesPerSequence(1) , 6);
        Assert.Equal(16.06e9, sol.WeightBytes(1), tolerance: 0.005e9);
        Assert.Equal(208.6, sol.Decode(1, 0).AggregateTokensPerSecond, 1);
        Assert.Equal(205.2, sol.Decode(1, 2048).AggregateTokensPerSecond, 1);
        var b64 = sol.Decode(64, 2048);
        Assert.Equal(9.92e-3, b64.StepSeconds, 5);
        // DESIGN's 6,451 is 64 / 9.92 ms (t_step rounded first); unrounded it is 6,450.0 (0.016% below).
        Assert.Equal(6451, Math.Floor(64 / Math.Round(b64.StepSeconds, 5)));
        Assert.Equal(6451, b64.AggregateTokensPerSecond, tolerance: 6451 * 0.0002);
        Assert.Equal(101, Math.Round(b64.PerUserTokensPerSecond));
        Assert.Equal("memory", b64.Bound);
    }

    [Fact]
    public void CountingOnlyWhatDecodeReadsRaisesBatchOneToAbout223()
    {
        var sol = Llama8B(ParameterCountMode.DecodeReads);
        Assert.Equal(223, Math.Round(sol.Decode(1, 0).AggregateTokensPerSecond));
    }

    [Fact]
    public void GptOss120BIsMoeMxfp4WithBf16AttentionAndHalfItsLayersWindowed()
    {
        var m = ModelConfigReader.Read(TestPaths.SharedFile("models/config_gpt_oss_120b.json"));
        var w = WeightFormat.For(m, null);
        Assert.Equal("mxfp4", w.Quantized);
        Assert.Equal(0.53125, w.QuantizedBytes);
        Assert.False(w.AttentionQuantized);
        Assert.False(w.RouterQuantized);
        Assert.True(w.ExpertsQuantized);
        var p = ParameterCounter.Count(m);
        // OpenAI's model card: 116.8B total, 5.1B active per token.
        Assert.Equal(116.8e9, p.Total, tolerance: 0.1e9);
        Assert.InRange(p.ActivePerToken, 5.0e9, 5.2e9);
        var sol = new SolModel(m, w, HardwareProfile.FromDatasheet("mi355x"), 8, 2, ParameterCountMode.DecodeReads);
        // One token touches 4 experts; 512 tokens touch essentially all 128.
        Assert.Equal(4, sol.ActiveExperts(1), 9);
        Assert.Equal(128, sol.ActiveExperts(512), 3);
        // Sliding window: 18 of 36 layers hold 128 tokens, so at 8k context KV is about half of full attention.
        var kv = sol.KvBytesPerSequence(8192);
        Assert.Equal((18 * 8192 + 18 * 128) * 2 * 8 * 64 * 2.0, kv);
        var d = sol.Decode(512, 1536);
        Assert.Equal(d.WeightBytesPerGpu + d.KvBytesPerGpu, d.MemorySeconds * 8000e9, 0);
    }

    [Fact]
    public void MlaKvBytesUseTheLatentRank()
    {
        var m = ModelConfigReader.Read(TestPaths.SharedFile("models/config_deepseek_v3.json"));
        Assert.True(m.IsMla);
        Assert.Equal(61 * (512 + 64) * 1.0, m.KvBytesAt(1, 1));
        var p = ParameterCounter.Count(m);
        // DeepSeek-V3: 671B total, 37B activated (its model card; the extra 14B MTP module is not in config counts).
        Assert.InRange(p.Total, 665e9, 675e9);
        Assert.InRange(p.ActivePerToken, 36e9, 39e9);
    }

    /// <summary>Llama-3.1-8B's config.json, built here so the by-hand prefill check never skips.</summary>
    internal const string Llama8BConfig = """
    {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4096, "intermediate_size": 14336,
     "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8, "vocab_size": 128256,
     "max_position_embeddings": 131072, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "attention_bias": false}
    """;

    [Theory]
    [InlineData(ParameterCountMode.DecodeReads)]
    [InlineData(ParameterCountMode.AllParameters)]
    public void PrefillOfLlama8BAt1536TokensOnTheH100DatasheetIs22Point30MsByHand(ParameterCountMode mode)
    {
        using var dir = new TempDir();
        var m = ModelConfigReader.Read(dir.Write("config.json", Llama8BConfig));
        var sol = new SolModel(m, WeightFormat.For(m, null), HardwareProfile.FromDatasheet("h100-sxm"), 1, 2, mode);
        // By hand: per layer q,o 2 x 4096^2 + k,v 2 x 4096 x 1024 + MLP 3 x 4096 x 14336 + 2 norms x 4096, 32 layers,
        // + the final norm = 6.98e9 parameters multiplied per prompt token; the lm_head (128,256 x 4,096) once; the
        // embedding is a lookup. Causal attention: 32 layers x 32 heads x 1536^2 x (128 + 128) = 0.618e12 FLOPs.
        double perLayer = 2.0 * 4096 * 4096 + 2.0 * 4096 * 1024 + 3.0 * 4096 * 14336 + 2 * 4096;
        var perToken = 32 * perLayer + 4096;
        var lmHead = 128256.0 * 4096;
        var attention = 32 * 32 * 1536.0 * 1536 * 256;
        Assert.Equal(attention, sol.PrefillAttentionFlops(1536));
        Assert.Equal(0.62e-3, attention / 989.4e12, tolerance: 0.01e-3);
        var byHand = (2 * perToken * 1536 + 2 * lmHead + attention) / 989.4e12;
        Assert.Equal(byHand, sol.PrefillSeconds(1536), 12);
        Assert.Equal(22.30e-3, sol.PrefillSeconds(1536), tolerance: 22.30e-3 * 0.005);
    }

    [Fact]
    public void PrefillOnAnotherTensorParallelSizeDividesByThatSize()
    {
        using var dir = new TempDir();
        var m = ModelConfigReader.Read(dir.Write("config.json", Llama8BConfig));
        var sol = new SolModel(m, WeightFormat.For(m, null), HardwareProfile.FromDatasheet("h100-sxm"), 8, 2, ParameterCountMode.DecodeReads);
        var tp2 = sol.WithTensorParallel(2);
        Assert.Equal(2, tp2.TensorParallel);
        Assert.Equal(4 * sol.PrefillSeconds(1024), tp2.PrefillSeconds(1024), 12);
        Assert.Same(sol, sol.WithTensorParallel(8));
    }

    [Fact]
    public void ConfigWithoutLayerCountsIsRejectedNamingTheField()
    {
        using var dir = new TempDir();
        var path = dir.Write("config.json", """{"hidden_size": 4096, "num_attention_heads": 32}""");
        var e = Assert.Throws<InputException>(() => ModelConfigReader.Read(path));
        Assert.Equal("num_hidden_layers", e.Field);
        Assert.Contains("missing", e.Reason);
    }

    [Fact]
    public void UnknownGpuAndUnknownDtypeAreInputErrors()
    {
        Assert.Throws<InputException>(() => HardwareProfile.FromDatasheet("tpu-v9"));
        Assert.Throws<InputException>(() => WeightFormat.BytesOf("fp3", "--weight-dtype"));
    }
}
