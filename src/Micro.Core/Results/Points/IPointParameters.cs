using System.Globalization;
using System.Text.Json;

namespace Micro.Core.Results.Points;

/// <summary>
/// The typed parameters of one measured point (results schema micro.result/3): what a program reads back about the
/// case (a GEMM's M, N, K, an attention kernel's kind and context, a collective's size and ranks ...). The rest of
/// a case's description (library, settings, printed figures) stays text in MeasurementRecord.Parameters.
/// </summary>
public interface IPointParameters;

public static class PointText
{
    /// <summary>The point as key=value pairs, keys as its JSON keys (for the CSV, the report and ceilings.json's parameters text).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Pairs(IPointParameters point)
    {
        var element = JsonSerializer.SerializeToElement(point, point.GetType(), MicroJson.Line);
        foreach (var p in element.EnumerateObject())
            yield return new(p.Name, p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString() ?? "",
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => p.Value.GetRawText(),
            });
    }

    internal static string Inv(long v) => v.ToString(CultureInfo.InvariantCulture);
}
