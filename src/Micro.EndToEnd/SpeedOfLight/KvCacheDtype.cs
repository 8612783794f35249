using Micro.Core.Models;
using Micro.Core.Results;

namespace Micro.EndToEnd.SpeedOfLight;

/// <summary>
/// Bytes per KV-cache element of a vLLM `kv_cache_dtype` (its engine-arg values: auto, bfloat16, fp8, fp8_e4m3, fp8_e5m2,
/// fp8_inc, fp8_ds_mla), plus Micro's dtype names. `auto` is the model's dtype, as in vLLM.
/// </summary>
public static class KvCacheDtype
{
    // DeepSeek's sparse-MLA fp8 layout stores 656 bytes for the 576 elements of a token's latent (512 fp8 values,
    // 4 fp32 scales, 64 bf16 rope values).
    private const double DsMlaBytes = 656.0 / 576;

    public static double BytesOf(string dtype, ModelConfig model, string source, string? field = null) => dtype.ToLowerInvariant() switch
    {
        "auto" => model.TorchDtype is "float32" ? 4 : 2,
        "fp8_e5m2" or "fp8_inc" => 1,
        "fp8_ds_mla" => DsMlaBytes,
        _ => Other(dtype, source, field),
    };

    private static double Other(string dtype, string source, string? field)
    {
        try { return WeightFormat.BytesOf(dtype, source, "KV-cache dtype", field); }
        catch (InputException)
        {
            throw new InputException(source, field,
                $"unknown KV-cache dtype '{(dtype.Length > 40 ? dtype[..40] + "..." : dtype)}' (use auto, bf16, fp16, fp32, fp8, fp8_e4m3, fp8_e5m2, fp8_inc, fp8_ds_mla)");
        }
    }
}
