using System.Text.Json.Serialization;

namespace Micro.EndToEnd.Prediction.Json;

/// <summary>One (run, metric) pair of a calibration's residuals or a check's rows: measured, predicted, error, and where
/// known the run's deployment and the prediction's interval (keys absent where unknown).</summary>
public sealed record ComparisonJson
{
    public required string Source { get; init; }
    public int? Concurrency { get; init; }
    [JsonConverter(typeof(RequestRateConverter))]
    public double? RequestRate { get; init; }
    public required string Metric { get; init; }
    public double? Measured { get; init; }
    public double? Predicted { get; init; }
    public double? ErrorPercent { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Deployment { get; init; }
    /// <summary>Present wherever the comparison has an interval; null there when an end is not finite.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OptionalKey<IReadOnlyList<double>?> Interval { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? InsideInterval { get; init; }

    public static ComparisonJson From(MetricComparison c) => new()
    {
        Source = c.Source, Concurrency = c.Concurrency, RequestRate = c.RequestRate, Metric = c.Metric,
        Measured = c.Measured, Predicted = c.Predicted, ErrorPercent = c.ErrorPercent,
        Deployment = c.Deployment,
        Interval = c.Interval is not null ? new(JsonNumber.Pair(c.Interval)) : default,
        InsideInterval = c.Inside,
    };
}

/// <summary>A run's deployment: its label and each part (gpu, tensor_parallel_size, ...) with where it came from ("file" or "flag").</summary>
public sealed record DeploymentJson(string Source, string Deployment, IReadOnlyDictionary<string, DeploymentPartJson> Parts)
{
    public static DeploymentJson From(RunDeployment d)
    {
        var parts = new Dictionary<string, DeploymentPartJson>(StringComparer.Ordinal);
        foreach (var p in d.Parts) parts[p.Key] = new(p.Value, p.From);
        return new(d.Source, d.Label, parts);
    }
}

public sealed record DeploymentPartJson(string Value, string From);
