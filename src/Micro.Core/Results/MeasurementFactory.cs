using Micro.Core.Statistics;

namespace Micro.Core.Results;

public static class MeasurementFactory
{
    /// <summary>Bandwidth in GB/s from bytes per iteration: median time, best (min) and worst (max).</summary>
    public static Throughput? BandwidthOf(long bytes, SampleSummary time) =>
        bytes <= 0 ? null : new Throughput("GB/s", Units.GBps(bytes, time.Median), Units.GBps(bytes, time.Min), Units.GBps(bytes, time.Max));

    public static Throughput? ComputeOf(double flops, SampleSummary time) =>
        flops <= 0 ? null : new Throughput("TFLOP/s", Units.Tflops(flops, time.Median), Units.Tflops(flops, time.Min), Units.Tflops(flops, time.Max));
}
