using Micro.Core.Models;
using Micro.Core.Results;

namespace Micro.EndToEnd.SpeedOfLight;

/// <summary>Bytes per parameter of each weight group: quantized linear layers vs those kept in the base dtype.</summary>
public sealed record WeightFormat
{
    public required string Quantized { get; init; }
    public required double QuantizedBytes { get; init; }
    public required double BaseBytes { get; init; }
    public bool AttentionQuantized { get; init; } = true;
    public bool RouterQuantized { get; init; } = true;
    public bool MlpQuantized { get; init; } = true;
    public bool ExpertsQuantized { get; init; } = true;
    public required string Assumption { get; init; }

    /// <summary>Bytes per parameter as stored, scales included.</summary>
    /// <param name="what">"weight dtype" or "KV-cache dtype": what the message calls it.</param>
    public static double BytesOf(string dtype, string source, string what = "weight dtype", string? field = null) => dtype.ToLowerInvariant() switch
    {
        "bf16" or "bfloat16" or "fp16" or "float16" or "half" => 2,
        "fp32" or "float32" => 4,
        "fp8" or "int8" or "w8a8" or "fp8_e4m3" => 1,
        // OCP MX: 32 four-bit values share one 8-bit E8M0 scale -> 4.25 bits.
        // mxfp4_mxfp8: the same weights, computed with MXFP8 activations (HardwareProfile.IsMxfp4Mxfp8).
        "mxfp4" or "mxfp4_mxfp8" => 4.25 / 8,
        // NVFP4: 16 values share one 8-bit FP8 scale -> 4.5 bits.
        "nvfp4" => 4.5 / 8,
        // int4 / AWQ / GPTQ with group size 128 and a 16-bit scale per group -> 4.125 bits.
        "int4" or "awq" or "gptq" or "w4a16" => 4.125 / 8,
        _ => throw new InputException(source, field, $"unknown {what} '{(dtype.Length > 40 ? dtype[..40] + "..." : dtype)}' (use bf16, fp16, fp32, fp8, int8, mxfp4, mxfp4_mxfp8, nvfp4, int4)"),
    };

    /// <summary>From --weight-dtype when given, else the config's quantization_config, else its torch_dtype (bf16 default).</summary>
    public static WeightFormat For(ModelConfig m, string? weightDtype)
    {
        var baseBytes = m.TorchDtype is "float32" ? 4.0 : 2.0;
        // A vLLM --quantization method given in place of a dtype (a run's `quantization: modelopt`) is read as the method.
        if (weightDtype is not null && QuantMethods.Contains(weightDtype)) weightDtype = FromQuantMethod(weightDtype, m);
        var dtype = weightDtype ?? (m.QuantMethod is { } qm ? FromQuantMethod(qm, m) : null) ?? m.TorchDtype ?? "bf16";
        if (dtype == "bfloat16") dtype = "bf16";
        if (dtype == "float16") dtype = "fp16";
        var bytes = weightDtype is not null ? BytesOf(dtype, "--weight-dtype")
            : BytesOf(dtype, m.Source ?? m.Name, field: m.QuantMethod is not null ? "quantization_config.quant_method" : "torch_dtype");
        // A group-quantized INT4 checkpoint states its group: one 16-bit scale per group (4.125 bits at the usual 128).
        var group = dtype == "int4" && m.QuantGroupSize is { } g && IsInt4Checkpoint(m) ? g : (int?)null;
        if (group is { } gs) bytes = (4 + (gs > 0 ? 16.0 / gs : 0)) / 8;
        var unquantized = UnquantizedModules.Of(m);
        var f = new WeightFormat
        {
            Quantized = dtype, QuantizedBytes = bytes, BaseBytes = baseBytes,
            AttentionQuantized = !unquantized.Attention, RouterQuantized = !unquantized.Router, MlpQuantized = !unquantized.Mlp, ExpertsQuantized = !unquantized.Experts,
            Assumption = "",
        };
        var kept = new List<string>();
        if (!f.AttentionQuantized) kept.Add("attention");
        if (!f.RouterQuantized) kept.Add("router");
        if (!f.MlpQuantized) kept.Add("dense MLP and shared experts");
        if (!f.ExpertsQuantized) kept.Add("routed experts");
        return f with
        {
            Assumption = bytes == baseBytes
                ? $"all weights {dtype} ({bytes:0.###} bytes/parameter)"
                : $"linear layers {dtype} at {bytes:0.######} bytes/parameter (scales included{(group is { } q ? q > 0 ? $", groups of {q}" : ", one scale per channel" : "")}){(kept.Count > 0 ? $"; {string.Join(", ", kept)} kept in the base dtype per quantization_config (modules_to_not_convert, ignore or exclude_modules)" : "")}; " +
                  $"embeddings, lm_head and norms at {baseBytes:0} bytes/parameter",
        };
    }

    /// <summary>Whether the config itself holds INT4 weights (so its group size is theirs).</summary>
    private static bool IsInt4Checkpoint(ModelConfig m) => m.QuantDetail is "int4" || m.QuantMethod is { } qm && Int4Methods.Contains(qm);

    /// <summary>AWQ and GPTQ checkpoints as vLLM serves them are 4-bit (GPTQ's 8-bit variant is rare; give --weight-dtype int8).</summary>
    private static readonly HashSet<string> Int4Methods = new(StringComparer.OrdinalIgnoreCase) { "awq", "awq_marlin", "gptq", "gptq_marlin" };

    /// <summary>vLLM --quantization methods that are not themselves a dtype name.</summary>
    private static readonly HashSet<string> QuantMethods =
        new(["fbgemm_fp8", "modelopt", "modelopt_fp4", "compressed-tensors", "compressed_tensors", .. Int4Methods], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A quantization_config's quant_method as a weight dtype: methods that name one format (fbgemm_fp8) map to it,
    /// methods that hold several (modelopt, compressed-tensors) are read with their quant_algo / weight scheme.
    /// </summary>
    public static string FromQuantMethod(string method, ModelConfig m)
    {
        var detail = m.QuantDetail?.ToLowerInvariant();
        return method.ToLowerInvariant() switch
        {
            "fbgemm_fp8" or "fp8" => "fp8",
            "modelopt_fp4" => "nvfp4",
            _ when Int4Methods.Contains(method) => "int4",
            "modelopt" => detail switch
            {
                null => "fp8",
                _ when detail.Contains("nvfp4", StringComparison.Ordinal) => "nvfp4",
                _ when detail.Contains("fp8", StringComparison.Ordinal) => "fp8",
                _ when detail.Contains("int4", StringComparison.Ordinal) || detail.Contains("awq", StringComparison.Ordinal) => "int4",
                _ when detail.Contains("int8", StringComparison.Ordinal) || detail.Contains("w8a8", StringComparison.Ordinal) => "int8",
                _ => throw new InputException(m.Name, "quantization_config.quant_algo", $"unknown modelopt quant_algo '{m.QuantDetail}': give --weight-dtype"),
            },
            "compressed-tensors" or "compressed_tensors" => detail switch
            {
                "float8" => "fp8",
                "int8" => "int8",
                "int4" => "int4",
                "nvfp4" or "float4" => "nvfp4",
                null => throw new InputException(m.Name, "quantization_config.config_groups", "compressed-tensors without a weights num_bits: give --weight-dtype"),
                _ => throw new InputException(m.Name, "quantization_config.config_groups", $"unknown compressed-tensors weight scheme '{m.QuantDetail}': give --weight-dtype"),
            },
            var other => other,
        };
    }

    public double AttentionBytes => AttentionQuantized ? QuantizedBytes : BaseBytes;
    public double RouterBytes => RouterQuantized ? QuantizedBytes : BaseBytes;
    public double MlpBytes => MlpQuantized ? QuantizedBytes : BaseBytes;
    public double ExpertBytes => ExpertsQuantized ? QuantizedBytes : BaseBytes;
}
