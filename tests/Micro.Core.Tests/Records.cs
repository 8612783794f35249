using Micro.Core.Results;
using Micro.Core.Results.Points;
using Micro.Core.Statistics;

namespace Micro.Core.Tests;

/// <summary>Builds plausible records for the writer, CSV and ceilings tests.</summary>
internal static class Records
{
    public static MeasurementRecord Bandwidth(string device, string @case, double medianGBps, bool passed = true, string? ceiling = "memory_bandwidth", string? label = null)
    {
        const long bytes = 3_000_000_000;
        var median = bytes / (medianGBps * 1e9);
        var time = Stats.Summarize([median * 0.99, median, median * 1.02]);
        return new MeasurementRecord
        {
            Suite = "memory", Case = @case, Backend = "test", Device = device, DType = "double", Bytes = bytes,
            Stream = new StreamParameters { Kernel = "Copy", Elements = 125_000_000 },
            Time = time, Bandwidth = MeasurementFactory.BandwidthOf(bytes, time),
            Verification = passed ? Verification.Ok(3, 0, "test") : Verification.Failed(3, 1, 0.5, "test"),
            Ceiling = ceiling, Label = label,
        };
    }
}
