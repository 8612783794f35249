using System.Text.Json;
using System.Text.Json.Serialization;

namespace Micro.Core.Results;

/// <summary>
/// How Micro's files hold a figure that is not a finite number: written as JSON <c>null</c> (an unknown figure, such as
/// the median of a BabelStream import, which prints only min, max and average), never as a "NaN" or "Infinity" string
/// that other JSON tools cannot read as a number. Read back, <c>null</c> in a figure is NaN (unknown), which
/// <see cref="Micro.Core.Input.JsonShape"/> then refuses wherever the format requires a finite figure. Files written before
/// this rule held the strings "NaN", "Infinity" and "-Infinity": those are still read, as the values they name.
/// </summary>
public sealed class NonFiniteAsNull : JsonConverter<double>
{
    public static readonly NonFiniteAsNull Instance = new();

    // A non-nullable double property receives null too (read as unknown), not only a double? one.
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetDouble(out var d) => d,
        JsonTokenType.Null => double.NaN,
        JsonTokenType.String when reader.ValueTextEquals("NaN"u8) => double.NaN,
        JsonTokenType.String when reader.ValueTextEquals("Infinity"u8) => double.PositiveInfinity,
        JsonTokenType.String when reader.ValueTextEquals("-Infinity"u8) => double.NegativeInfinity,
        // No message: the serializer words it "could not be converted to System.Double" with the path, which JsonInput turns into one line.
        _ => throw new JsonException(),
    };

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteNullValue();
    }
}
