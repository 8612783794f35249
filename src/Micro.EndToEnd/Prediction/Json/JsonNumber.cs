namespace Micro.EndToEnd.Prediction.Json;

/// <summary>prediction.json writes a number that is not finite (a division by a zero duration, say) as null, never as
/// "NaN" or "Infinity": JSON has no such numbers and no reader of the file should have to know .NET's names for them.</summary>
public static class JsonNumber
{
    public static double? OrNull(double? x) => x is { } v && double.IsFinite(v) ? v : null;

    /// <summary>A [low, high] pair, or null where there is none or either end is not finite.</summary>
    public static IReadOnlyList<double>? Pair((double Low, double High)? v) =>
        v is { } x && double.IsFinite(x.Low) && double.IsFinite(x.High) ? [x.Low, x.High] : null;
}
