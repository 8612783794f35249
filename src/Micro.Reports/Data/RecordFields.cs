using System.Globalization;
using Micro.Core;
using Micro.Core.Results;

namespace Micro.Reports.Data;

/// <summary>
/// Tolerant reading of the fields each suite puts in Parameters: the first key present that parses wins,
/// so a suite that spells a key differently still plots.
/// </summary>
public static class RecordFields
{
    public static string? Text(MeasurementRecord r, params string[] keys)
    {
        foreach (var k in keys)
            if (r.Parameters.TryGetValue(k, out var v) && !string.IsNullOrWhiteSpace(v)) return v;
        return null;
    }

    public static double? Number(MeasurementRecord r, params string[] keys)
    {
        foreach (var k in keys)
        {
            if (!r.Parameters.TryGetValue(k, out var v) || v is null) continue;
            if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
            if (Units.TryParseBytes(v, out var b)) return b;
        }
        return null;
    }

    /// <summary>Size of one array of a memory kernel: array_bytes, else elements x element size, else null.</summary>
    public static double? ArrayBytes(MeasurementRecord r)
    {
        if (Number(r, "array_bytes", "array_size_bytes", "buffer_bytes") is { } b && b > 0) return b;
        if (Number(r, "elements", "n", "array_elements") is { } n && n > 0 && ElementSize(r.DType) is { } es) return n * es;
        return null;
    }

    /// <summary>Message size of a collective point: nccl-tests' size column, else the record's byte count.</summary>
    public static double? MessageBytes(MeasurementRecord r)
    {
        if (Number(r, "size_bytes", "size", "message_bytes", "bytes") is { } b && b > 0) return b;
        return r.Bytes > 0 ? r.Bytes : null;
    }

    public static int? ElementSize(string? dtype) => dtype?.ToLowerInvariant() switch
    {
        "fp64" or "float64" or "double" or "f64" => 8,
        "fp32" or "float32" or "float" or "f32" or "int32" => 4,
        "fp16" or "float16" or "half" or "bf16" or "bfloat16" or "f16" => 2,
        "fp8" or "e4m3" or "e5m2" or "int8" or "uint8" => 1,
        _ => null,
    };

    /// <summary>A record's median bandwidth in GB/s, or null when it has none that is finite and positive.</summary>
    public static double? Bandwidth(MeasurementRecord r) =>
        r.Bandwidth is { } t && double.IsFinite(t.Median) && t.Median > 0 ? t.Median : null;

    public static double? Compute(MeasurementRecord r) =>
        r.Compute is { } t && double.IsFinite(t.Median) && t.Median > 0 ? t.Median : null;

    public static bool Finite(double x) => double.IsFinite(x);

    /// <summary>" (emulator, not a ceiling)" for a chart whose every point ran on an emulator (ILGPU's CPU accelerator), else "".</summary>
    public static string EmulatorSuffix(IEnumerable<MeasurementRecord> records) =>
        records.All(r => r.Label?.Contains("emulator", StringComparison.OrdinalIgnoreCase) == true) ? " (emulator, not a ceiling)" : "";
}
