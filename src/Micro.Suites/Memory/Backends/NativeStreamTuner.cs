using System.Globalization;
using Micro.Core.Statistics;

namespace Micro.Suites.Memory.Backends;

/// <summary>A kernel's launch config for this run and where it came from (written into every point's parameters).</summary>
/// <param name="Tuning">The tuning table, "config:GB/s;..." in candidate order; null when the config was fixed.</param>
public sealed record NativeConfigChoice(NativeStreamConfig Config, string Source, string? Tuning = null);

/// <summary>One candidate's tuning time (median seconds of the timed launches), or null when it cannot launch here.</summary>
public sealed record NativeTuningPoint(NativeStreamConfig Config, double? MedianSeconds);

/// <summary>
/// The tuning pass: every candidate config of every kernel, <see cref="WarmupLaunches"/> warm-up + <see cref="TimedLaunches"/> device-event-timed
/// launches at one past-cache length, the fastest median kept. These timings are not results; the suite then
/// measures (and verifies) every point with the winner through the normal runner.
/// </summary>
public static class NativeStreamTuner
{
    public const int WarmupLaunches = 2;
    public const int TimedLaunches = 10;
    /// <summary>Copy launches before the first timed candidate, so clocks have left idle and the first candidate is not penalised.</summary>
    public const int PrewarmLaunches = 20;

    internal static IReadOnlyDictionary<StreamKernel, NativeConfigChoice> Tune(NativeStreamArrays arrays, IEnumerable<StreamKernel> kernels,
        Func<StreamKernel, IReadOnlyList<NativeStreamConfig>> candidatesFor)
    {
        var values = StreamValues.Default;
        arrays.Initialize(values);
        for (var i = 0; i < PrewarmLaunches && arrays.Launch(StreamKernel.Copy, NativeStreamConfig.Default) is not null; i++)
            arrays.Run(StreamKernel.Copy, NativeStreamConfig.Default, values.Scalar, readSum: false);
        var chosen = new Dictionary<StreamKernel, NativeConfigChoice>();
        foreach (var kernel in kernels)
        {
            var points = candidatesFor(kernel).Select(c => new NativeTuningPoint(c, arrays.Launch(kernel, c) is null ? null : Time(arrays, kernel, c, values.Scalar))).ToArray();
            var best = Pick(points) ?? throw new InvalidOperationException($"no native launch config of {NativeStreamKernels.BaseName(kernel)} can launch on this device");
            var bytes = StreamCases.BytesMoved(kernel, arrays.Elements, StreamDType.Float);
            var source = string.Create(CultureInfo.InvariantCulture,
                $"tuned: fastest median of {points.Count(p => p.MedianSeconds is not null)} candidate configs ({TimedLaunches} timed launches each after {WarmupLaunches} warm-up) at {arrays.Elements} elements per array; tuning timings are not results");
            chosen[kernel] = new NativeConfigChoice(best, source, Table(points, bytes));
        }
        return chosen;
    }

    private static double Time(NativeStreamArrays arrays, StreamKernel kernel, NativeStreamConfig config, double scalar)
    {
        for (var i = 0; i < WarmupLaunches; i++) arrays.Run(kernel, config, scalar, readSum: false);
        var t = new double[TimedLaunches];
        for (var i = 0; i < t.Length; i++) t[i] = arrays.Run(kernel, config, scalar, readSum: false);
        return Stats.Median(t);
    }

    /// <summary>The fastest candidate that launched; ties keep the earlier candidate. Null when none launched.</summary>
    public static NativeStreamConfig? Pick(IEnumerable<NativeTuningPoint> points)
    {
        NativeTuningPoint? best = null;
        foreach (var p in points)
            if (p.MedianSeconds is { } s && s > 0 && (best is null || s < best.MedianSeconds)) best = p;
        return best?.Config;
    }

    /// <summary>"block=256,items=4,policy=cover:2948.1;..." (GB/s of bytes read + written; "n/a" when it cannot launch).</summary>
    public static string Table(IEnumerable<NativeTuningPoint> points, long bytes) =>
        string.Join(";", points.Select(p => p.MedianSeconds is { } s && s > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{p.Config}:{bytes / s / 1e9:0.0}")
            : $"{p.Config}:n/a"));
}
