namespace Micro.EndToEnd.Prediction.Json;

/// <summary>A single number that is not finite is written as null by MicroJson's NonFiniteAsNull; an interval is a pair
/// that holds together, so it is null as a whole when either end is not finite.</summary>
public static class JsonNumber
{
    /// <summary>A [low, high] pair, or null where there is none or either end is not finite.</summary>
    public static IReadOnlyList<double>? Pair((double Low, double High)? v) =>
        v is { } x && double.IsFinite(x.Low) && double.IsFinite(x.High) ? [x.Low, x.High] : null;
}
