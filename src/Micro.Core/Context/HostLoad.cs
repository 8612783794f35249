using System.Globalization;

namespace Micro.Core.Context;

/// <summary>Where a host point's CPU time and the machine's load come from (tests inject one; never how busy CI is).</summary>
public interface IHostLoadSource
{
    /// <summary>CPU seconds (user + system) this process has used, all threads together.</summary>
    double ProcessCpuSeconds();

    /// <summary>A monotonic wall clock in seconds.</summary>
    double WallSeconds();

    /// <summary>The 1-minute load average, or NaN where the system does not say.</summary>
    double LoadAverage();

    int Cores { get; }
}

/// <summary>The running process (Environment.CpuUsage) and /proc/loadavg.</summary>
public sealed class SystemHostLoad : IHostLoadSource
{
    public static readonly SystemHostLoad Instance = new();

    public double ProcessCpuSeconds() => Environment.CpuUsage.TotalTime.TotalSeconds;

    public double WallSeconds() => System.Diagnostics.Stopwatch.GetTimestamp() / (double)System.Diagnostics.Stopwatch.Frequency;

    public double LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
        }
        catch (IOException) { return double.NaN; }
        catch (UnauthorizedAccessException) { return double.NaN; }
    }

    public int Cores => Environment.ProcessorCount;
}
