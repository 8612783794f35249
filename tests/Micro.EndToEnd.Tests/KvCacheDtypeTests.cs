using Micro.Core.Results;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Tests;

/// <summary>A run's or the command's KV-cache dtype in vLLM's own values (`--kv-cache-dtype`), `auto` meaning the model's dtype.</summary>
public class KvCacheDtypeTests
{
    [Theory]
    [InlineData("fp8", 1.0)]
    [InlineData("fp8_e4m3", 1.0)]
    [InlineData("fp8_e5m2", 1.0)]
    [InlineData("fp8_inc", 1.0)]
    [InlineData("bfloat16", 2.0)]
    [InlineData("auto", 2.0)]
    [InlineData("FP8_E5M2", 1.0)]
    public void EveryVllmValueHasItsBytes(string dtype, double bytes) =>
        Assert.Equal(bytes, KvCacheDtype.BytesOf(dtype, PredictionFixtures.Llama8B(), "run.json", "kv_cache_dtype"));

    [Fact]
    public void AutoIsTheModelsDtype() =>
        Assert.Equal(4.0, KvCacheDtype.BytesOf("auto", PredictionFixtures.Llama8B() with { TorchDtype = "float32" }, "--kv-dtype"));

    [Fact]
    public void DeepSeeksMlaLayoutCountsItsScales() =>
        Assert.Equal(656.0 / 576, KvCacheDtype.BytesOf("fp8_ds_mla", PredictionFixtures.Llama8B(), "run.json"), 12);

    [Fact]
    public void AnUnknownValueNamesTheFileAndField()
    {
        var e = Assert.Throws<InputException>(() => KvCacheDtype.BytesOf("fp7", PredictionFixtures.Llama8B(), "run.json", "kv_cache_dtype"));
        Assert.Contains("run.json", e.Message);
        Assert.Contains("kv_cache_dtype", e.Message);
        Assert.Contains("unknown KV-cache dtype 'fp7'", e.Message);
        Assert.Contains("fp8_e5m2", e.Message);
    }

    [Fact]
    public void ARunStatingAutoIsSimulatedAtTheModelsDtypeWhateverTheFlag()
    {
        var deployments = PredictionFixtures.Deployments(PredictionFixtures.Setup() with { KvBytesPerElement = 1 });
        var run = PredictionCalibrationTests.Synthetic(new ServingModel(PredictionFixtures.Setup(), PredictionFixtures.Params()),
            new LoadShape(4, null, 8), new LengthSampler(256, 32), "run.json", new RunMetadata { KvCacheDtype = "auto" });
        var d = deployments.Resolve(run);
        Assert.Equal(2.0, d.Setup.KvBytesPerElement);
        Assert.Contains(d.Parts, p => p is { Key: "kv_cache_dtype", Value: "auto", From: "file" });
    }
}
