using System.Text.Json;
using System.Text.Json.Serialization;

namespace Micro.EndToEnd.Prediction.Json;

/// <summary>A request rate as vLLM writes it: requests/s, or the string "inf" for a closed loop (null here).</summary>
public sealed class RequestRateConverter : JsonConverter<double?>
{
    public const string Infinite = "inf";

    public override bool HandleNull => true;

    /// <summary>Why a value is not a request rate (the one wording of every reader of one).</summary>
    public const string Expected = "expected a positive number or \"inf\"";

    /// <summary>A positive finite number, or "inf" (null); false for anything else.</summary>
    public static bool TryRead(JsonElement e, out double? rate)
    {
        rate = null;
        if (e.ValueKind == JsonValueKind.String) return e.ValueEquals(Infinite);
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out var x) || !(x > 0) || !double.IsFinite(x)) return false;
        rate = x;
        return true;
    }

    public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TryRead(JsonElement.ParseValue(ref reader), out var rate) ? rate : throw new JsonException(Expected);

    public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options)
    {
        if (value is { } rate && double.IsFinite(rate)) writer.WriteNumberValue(rate);
        else writer.WriteStringValue(Infinite);
    }
}
