using System.Text.Json.Serialization;

namespace Micro.Core.Context;

/// <summary>
/// Power, energy, clocks and heat over the timed window of one point (results.jsonl `power`). Average watts and joules
/// come from the energy counter's difference over the window; they are null (with <see cref="NotAvailable"/> saying
/// why) when the window is shorter than <see cref="PowerWindow.MinimumSeconds"/> or the counter did not move.
/// The sampled power is NVML's instantaneous board power read every <see cref="IntervalMs"/> on its own thread.
/// </summary>
public sealed record PowerSummary
{
    [JsonPropertyName("window_s")] public double WindowSeconds { get; init; }
    [JsonPropertyName("interval_ms")] public double IntervalMs { get; init; }
    [JsonPropertyName("samples")] public int Samples { get; init; }
    [JsonPropertyName("energy_j")] public double? EnergyJoules { get; init; }
    [JsonPropertyName("average_w")] public double? AverageWatts { get; init; }
    [JsonPropertyName("sampled_power_mean_w")] public double? SampledMeanWatts { get; init; }
    [JsonPropertyName("sampled_power_max_w")] public double? SampledMaxWatts { get; init; }
    [JsonPropertyName("sm_clock_min_mhz")] public int? SmClockMinMHz { get; init; }
    [JsonPropertyName("sm_clock_max_mhz")] public int? SmClockMaxMHz { get; init; }
    [JsonPropertyName("memory_clock_min_mhz")] public int? MemClockMinMHz { get; init; }
    [JsonPropertyName("temperature_max_c")] public double? TemperatureMaxC { get; init; }
    [JsonPropertyName("throttle_reasons")] public IReadOnlyList<string> ThrottleReasons { get; init; } = [];
    [JsonPropertyName("not_available")] public string? NotAvailable { get; init; }
}

/// <summary>The energy arithmetic of one window, kept apart from any sensor so it is tested on fake readings.</summary>
public static class PowerWindow
{
    /// <summary>
    /// The shortest window that gets average watts and joules. NVML's energy counter steps about every 10 ms (seen by
    /// pynvml's maintainers, pynvml PR #18), so each end of a 0.25 s window is within ~4% and the average within ~8%.
    /// </summary>
    public const double MinimumSeconds = 0.25;

    public static PowerSummary Summarize(PowerReading start, PowerReading end, IReadOnlyList<PowerReading> samples, double intervalMs)
    {
        var all = new List<PowerReading>(samples.Count + 2) { start };
        all.AddRange(samples);
        all.Add(end);
        var window = end.Seconds - start.Seconds;
        double? joules = null, watts = null;
        string? why = null;
        if (start.EnergyMilliJoules is not { } e0 || end.EnergyMilliJoules is not { } e1) why = "no energy counter on this device";
        else if (window < MinimumSeconds) why = $"window {window:0.###} s shorter than {MinimumSeconds} s: too short for the energy counter";
        else if (e1 <= e0) why = "the energy counter did not advance";
        else
        {
            joules = (e1 - e0) / 1000.0;
            watts = joules / window;
        }
        var power = all.Select(r => r.PowerW).OfType<double>().ToList();
        var sm = all.Select(r => r.SmClockMHz).OfType<int>().ToList();
        var mem = all.Select(r => r.MemClockMHz).OfType<int>().ToList();
        var temp = all.Select(r => r.TemperatureC).OfType<double>().ToList();
        return new PowerSummary
        {
            WindowSeconds = window, IntervalMs = intervalMs, Samples = all.Count,
            EnergyJoules = joules, AverageWatts = watts, NotAvailable = why,
            SampledMeanWatts = power.Count > 0 ? power.Average() : null, SampledMaxWatts = power.Count > 0 ? power.Max() : null,
            SmClockMinMHz = sm.Count > 0 ? sm.Min() : null, SmClockMaxMHz = sm.Count > 0 ? sm.Max() : null,
            MemClockMinMHz = mem.Count > 0 ? mem.Min() : null, TemperatureMaxC = temp.Count > 0 ? temp.Max() : null,
            ThrottleReasons = all.SelectMany(r => r.ThrottleReasons).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>Throughput per watt (GB/s per W, TFLOP/s per W): null without a measured average power.</summary>
    public static double? PerWatt(double throughput, PowerSummary? power) =>
        power?.AverageWatts is > 0 and var w ? throughput / w : null;

    /// <summary>Energy floor per output token at speed of light: board power at the bound x step time / batch (joules).</summary>
    public static double EnergyPerToken(double boardWatts, double stepSeconds, double batch) => boardWatts * stepSeconds / batch;
}
