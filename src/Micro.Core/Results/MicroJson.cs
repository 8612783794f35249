using System.Text.Json;
using System.Text.Json.Serialization;
using Micro.Core.Text;

namespace Micro.Core.Results;

/// <summary>The one JSON convention of Micro's files: snake_case keys (MicroNaming), enums as strings, no indentation in
/// JSONL, control and bidi characters dropped from every string (<see cref="CleanJsonEncoder"/>), a figure that is not
/// finite written as null and null read as an unknown figure (<see cref="NonFiniteAsNull"/>).</summary>
public static class MicroJson
{
    public static readonly JsonSerializerOptions Line = Create(indented: false);
    public static readonly JsonSerializerOptions Pretty = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = MicroNaming.Instance,
            DictionaryKeyPolicy = null,
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = CleanJsonEncoder.Instance,
            MaxDepth = 64,
        };
        // Enums are read as their names only: an untrusted number would be a value no enum defines.
        o.Converters.Add(NonFiniteAsNull.Instance);
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        return o;
    }
}
