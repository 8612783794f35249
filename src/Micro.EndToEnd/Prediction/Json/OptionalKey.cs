using System.Text.Json;
using System.Text.Json.Serialization;

namespace Micro.EndToEnd.Prediction.Json;

/// <summary>
/// A key that only some objects carry (a point's quality keys without --quality, its traffic keys outside a replay):
/// default means the key is absent (the property is marked WhenWritingDefault); once set it is written with its value,
/// null included, so "present and null" and "absent" stay two different things.
/// </summary>
[JsonConverter(typeof(OptionalKeyConverterFactory))]
public readonly record struct OptionalKey<T>(T Value)
{
    public bool IsPresent { get; } = true;

    public static implicit operator OptionalKey<T>(T value) => new(value);
}

/// <summary>Writes and reads an OptionalKey as its value alone.</summary>
public sealed class OptionalKeyConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type t) => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(OptionalKey<>);

    public override JsonConverter CreateConverter(Type t, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(t.GetGenericArguments()[0]))!;

    private sealed class Converter<T> : JsonConverter<OptionalKey<T>>
    {
        public override OptionalKey<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            try { return new(JsonSerializer.Deserialize<T>(ref reader, options)!); }
            // The nested read knows only its own path ("$.values.x"); an exception without one gets the outer read's
            // ("$.points[0].worst_window"), so the error names the key in the document.
            catch (JsonException e) when (e.Path is not null) { throw new JsonException(e.Message, e); }
        }

        public override void Write(Utf8JsonWriter writer, OptionalKey<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Value, options);
    }
}
