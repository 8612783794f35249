using Micro.Core.Results;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Tests;

/// <summary>A run's `quantization` may be vLLM's --quantization method rather than a dtype: it is read as the method,
/// with the checkpoint's quantization_config where the method holds several formats.</summary>
public class WeightFormatMethodTests
{
    [Theory]
    [InlineData("modelopt", null, "fp8", 1.0)]
    [InlineData("modelopt", "NVFP4", "nvfp4", 4.5 / 8)]
    [InlineData("MODELOPT_FP4", null, "nvfp4", 4.5 / 8)]
    [InlineData("fbgemm_fp8", null, "fp8", 1.0)]
    [InlineData("awq_marlin", null, "int4", 4.125 / 8)]
    [InlineData("gptq", null, "int4", 4.125 / 8)]
    [InlineData("fp8", null, "fp8", 1.0)]
    [InlineData("mxfp4", null, "mxfp4", 4.25 / 8)]
    public void AVllmQuantizationMethodIsReadAsItsFormat(string method, string? quantAlgo, string dtype, double bytes)
    {
        var m = PredictionFixtures.Llama8B() with { QuantDetail = quantAlgo };
        var w = WeightFormat.For(m, method);
        Assert.Equal(dtype, w.Quantized);
        Assert.Equal(bytes, w.QuantizedBytes, 12);
    }

    [Fact]
    public void CompressedTensorsWithoutItsSchemeAsksForTheDtype()
    {
        var e = Assert.Throws<InputException>(() => WeightFormat.For(PredictionFixtures.Llama8B(), "compressed-tensors"));
        Assert.Contains("give --weight-dtype", e.Reason);
    }
}
