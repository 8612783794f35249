using System.Globalization;
using Micro.Core;
using Micro.Core.Results;

namespace Micro.Reports.Data;

/// <summary>
/// The fields reports plot: sizes and rank counts from the records' typed points; figures a suite keeps as text
/// (printed busbw ...) by the first key present that parses, so a suite that spells a key differently still plots.
/// </summary>
public static class RecordFields
{
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

    /// <summary>Size of one array of a memory kernel: its array bytes, else elements x element size, else null.</summary>
    public static double? ArrayBytes(MeasurementRecord r)
    {
        if (r.Stream is not { } s) return null;
        if (s.ArrayBytes is > 0) return s.ArrayBytes;
        return s.Elements > 0 && ElementSize(r.DType) is { } es ? (double)s.Elements * es : null;
    }

    /// <summary>Elements per array of a memory kernel, null when not a STREAM point.</summary>
    public static double? Elements(MeasurementRecord r) => r.Stream is { Elements: > 0 } s ? s.Elements : null;

    /// <summary>Message size of a collective or copy point (nccl-tests' size column), else the record's byte count.</summary>
    public static double? MessageBytes(MeasurementRecord r)
    {
        if ((r.Collective?.SizeBytes ?? r.Copy?.SizeBytes) is > 0 and var b) return b;
        return r.Bytes > 0 ? r.Bytes : null;
    }

    /// <summary>Ranks of a collective point, null when not known.</summary>
    public static double? Ranks(MeasurementRecord r) => r.Collective?.Nranks;

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
