using Micro.Core.Models;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Tests;

/// <summary>A group-quantized INT4 checkpoint's bytes per parameter follow the group size its config states.</summary>
public class QuantGroupSizeTests
{
    private static ModelConfig Read(string quantizationConfig)
    {
        using var dir = new TempDir();
        var cfg = SpeedOfLightTests.Llama8BConfig.TrimEnd().TrimEnd('}') + ", \"quantization_config\": " + quantizationConfig + "}";
        return ModelConfigReader.Read(dir.Write("config.json", cfg));
    }

    private const string CompressedTensorsInt4 = """
        {"quant_method": "compressed-tensors", "config_groups": {"group_0": {"weights": {"num_bits": 4, "type": "int", "group_size": 32}, "targets": ["Linear"]}}}
        """;

    [Fact]
    public void Int4GroupsOf32CarryOneSixteenBitScaleEach()
    {
        var m = Read(CompressedTensorsInt4);
        Assert.Equal(32, m.QuantGroupSize);
        var w = WeightFormat.For(m, null);
        Assert.Equal((4 + 16.0 / 32) / 8, w.QuantizedBytes, 12);
        Assert.Contains("groups of 32", w.Assumption);
        // A run that states int4 for this checkpoint gets the same; on a bf16 checkpoint, the usual group of 128.
        Assert.Equal((4 + 16.0 / 32) / 8, WeightFormat.For(m, "int4").QuantizedBytes, 12);
        Assert.Equal(4.125 / 8, WeightFormat.For(Read("""{"quant_method": "fp8"}"""), "int4").QuantizedBytes, 12);
    }

    [Theory]
    [InlineData("""{"quant_method": "awq", "bits": 4, "group_size": 64}""", (4 + 16.0 / 64) / 8)]
    [InlineData("""{"quant_method": "gptq", "bits": 4, "group_size": -1}""", 4.0 / 8)]
    [InlineData("""{"quant_method": "awq", "bits": 4}""", 4.125 / 8)]
    [InlineData("""{"quant_method": "compressed-tensors", "format": "nvfp4-pack-quantized", "config_groups": {"g": {"weights": {"num_bits": 4, "type": "float", "group_size": 16}}}}""", 4.5 / 8)]
    public void TheGroupSizeAppliesToInt4CheckpointsOnly(string quantizationConfig, double bytes) =>
        Assert.Equal(bytes, WeightFormat.For(Read(quantizationConfig), null).QuantizedBytes, 12);
}
