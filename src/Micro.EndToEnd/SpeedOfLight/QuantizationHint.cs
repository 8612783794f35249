using Micro.Core.Models;

namespace Micro.EndToEnd.SpeedOfLight;

/// <summary>
/// A model_id or file name that says fp8/int4/awq/gptq/nvfp4/mxfp4 while neither the config's quantization_config nor
/// --weight-dtype does: the speed of light would charge the base dtype's bytes (a "-8B-FP8" run at 62% of a bf16 bound
/// is at 33% of its fp8 one), so say which was assumed.
/// </summary>
public static class QuantizationHint
{
    /// <summary>Name fragments and the --weight-dtype each implies, checked in this order.</summary>
    private static readonly (string Fragment, string Dtype)[] Hints =
    [
        ("nvfp4", "nvfp4"), ("mxfp4", "mxfp4"), ("fp8", "fp8"), ("w8a8", "fp8"), ("awq", "awq"), ("gptq", "gptq"),
        ("int4", "int4"), ("w4a16", "int4"), ("int8", "int8"),
    ];

    /// <summary>The dtype a name hints at, or null.</summary>
    public static string? DtypeIn(string name)
    {
        var n = name.ToLowerInvariant();
        foreach (var (fragment, dtype) in Hints)
            if (n.Contains(fragment, StringComparison.Ordinal)) return dtype;
        return null;
    }

    /// <summary>One warning line, or null when nothing hints at quantization or the config / --weight-dtype already say it.</summary>
    public static string? Check(ModelConfig config, string? weightDtype, WeightFormat assumed, IEnumerable<string> names)
    {
        if (weightDtype is not null || config.QuantMethod is not null) return null;
        foreach (var name in names.Distinct(StringComparer.Ordinal))
            if (DtypeIn(name) is { } hinted && !hinted.Equals(assumed.Quantized, StringComparison.OrdinalIgnoreCase))
                return $"'{name}' suggests {hinted} weights, but neither {config.Name} (no quantization_config) nor --weight-dtype says so: " +
                       $"speed of light assumes {assumed.Assumption}; give --weight-dtype {hinted} if the served weights are {hinted}";
        return null;
    }
}
