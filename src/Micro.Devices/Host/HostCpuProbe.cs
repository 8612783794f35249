using Micro.Core.Context;
using Micro.Devices.Discovery;

namespace Micro.Devices.Host;

/// <summary>The host CPU as a device: model, logical cores, memory, last-level cache, clock.</summary>
public sealed class HostCpuProbe : IDeviceProbe
{
    public string Name => "host";

    public ProbeResult Probe() => new([Describe()], null);

    public static DeviceInfo Describe()
    {
        var threads = HostStream.Unavailable() is null ? HostStream.Threads() : (int?)null;
        return new DeviceInfo
        {
            Name = HostInfo.CpuModel() ?? "host CPU",
            Kind = DeviceKind.Host,
            Source = "host",
            ComputeUnits = Environment.ProcessorCount,
            MemoryBytes = HostInfo.MemoryBytes(),
            LastLevelCacheBytes = HostInfo.LastLevelCacheBytes(),
            ClockMHz = CpuMHz(),
            Note = threads is { } t ? $"host STREAM: {t} OpenMP threads" : "host STREAM library not built",
        };
    }

    private static int? CpuMHz()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("cpu MHz", StringComparison.Ordinal) &&
                    double.TryParse(line[(line.IndexOf(':') + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var mhz))
                    return (int)Math.Round(mhz);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
