using System.Text.Json;
using System.Text.Json.Serialization;

namespace Micro.EndToEnd.Prediction.Json;

/// <summary>A request rate as vLLM writes it: requests/s, or the string "inf" for a closed loop (null here).</summary>
public sealed class RequestRateConverter : JsonConverter<double?>
{
    public const string Infinite = "inf";

    public override bool HandleNull => true;

    public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(Infinite)) return null;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var rate) && rate > 0 && double.IsFinite(rate)) return rate;
        throw new JsonException("expected a positive number or \"inf\"");
    }

    public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options)
    {
        if (value is { } rate && double.IsFinite(rate)) writer.WriteNumberValue(rate);
        else writer.WriteStringValue(Infinite);
    }
}
