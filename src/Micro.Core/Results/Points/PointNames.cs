using System.Text.Json;

namespace Micro.Core.Results.Points;

/// <summary>The names the point enums have in the files (and on the CLI): one mapping, MicroJson's, both ways.</summary>
public static class PointNames
{
    /// <summary>The enum value written as <paramref name="name"/> (decode-paged, fp8, graph-replay, h2d ...), null when none is.</summary>
    public static T? Parse<T>(string? name) where T : struct, Enum
    {
        if (string.IsNullOrEmpty(name)) return null;
        try { return JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(name), MicroJson.Line); }
        catch (JsonException) { return null; }
    }

    public static string Of<T>(T value) where T : struct, Enum => JsonSerializer.Serialize(value, MicroJson.Line).Trim('"');
}
