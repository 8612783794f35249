using System.Collections.Concurrent;
using System.Diagnostics;

namespace Micro.Core.Context;

/// <summary>
/// One reading of a device's power sensors: a monotonic time in seconds, the cumulative energy counter (NVML
/// nvmlDeviceGetTotalEnergyConsumption, millijoules since the driver loaded), instantaneous board power, clocks,
/// temperature and the active throttle reasons. Null where the device does not report a field.
/// </summary>
public sealed record PowerReading(double Seconds, ulong? EnergyMilliJoules, double? PowerW, int? SmClockMHz, int? MemClockMHz,
    double? TemperatureC, IReadOnlyList<string> ThrottleReasons)
{
    public static double Now() => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
}

/// <summary>Something that reads one device's power sensors (NVML for NVIDIA GPUs; a fake in tests).</summary>
public interface IPowerSource
{
    PowerReading Read();
}

/// <summary>
/// The power source of each device this process measures, registered by whoever opened the device (the GPU session)
/// and found by the runner from a point's device id (PCI bus id) or name, so every suite's GPU points are sampled.
/// </summary>
public static class PowerSources
{
    private static readonly ConcurrentDictionary<string, IPowerSource> ById = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, IPowerSource> ByName = new(StringComparer.Ordinal);

    public static void Register(string deviceName, string? deviceId, IPowerSource source)
    {
        if (deviceId is not null) ById[deviceId] = source;
        ByName.TryAdd(deviceName, source); // the first device of a name wins; several of one name are told apart by id
    }

    public static IPowerSource? Find(string deviceName, string? deviceId) =>
        deviceId is not null && ById.TryGetValue(deviceId, out var s) ? s : ByName.GetValueOrDefault(deviceName);
}
