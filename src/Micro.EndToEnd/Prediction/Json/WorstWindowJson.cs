using Micro.EndToEnd.Traffic;

namespace Micro.EndToEnd.Prediction.Json;

/// <summary>The worst window of a windowed verdict (TrafficJson.WindowKeys): its span, how many requests it completed, and
/// each objective's value there, keyed "p95_ttft_ms" and so on.</summary>
public sealed record WorstWindowJson(double? StartS, double? EndS, int Completed, int Windows, double? WindowS, IReadOnlyDictionary<string, double?> Values)
{
    public static WorstWindowJson? From(WindowVerdict? v)
    {
        if (v is null) return null;
        var values = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach (var (slo, value) in v.WorstValues) values[$"{slo.Stat}_{slo.Metric}_ms"] = value;
        return new(v.WorstStart, v.WorstEnd, v.WorstCompleted, v.Windows, v.WindowSeconds, values);
    }
}
