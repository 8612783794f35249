using Micro.Devices.Cuda;

namespace Micro.Suites.Launch;

/// <summary>What two CUDA events recorded back to back on an idle stream read: the timer's floor and granularity.</summary>
public sealed record EventResolutionResult(int Pairs, double SmallestNonZeroUs, double MedianUs, double ZeroFraction)
{
    public string Describe() =>
        $"event timer: {Pairs} back-to-back event pairs; smallest non-zero interval {SmallestNonZeroUs:0.000} us, median {MedianUs:0.000} us, " +
        $"{ZeroFraction:P0} read exactly zero (cuEventElapsedTime documents ~0.5 us resolution)";
}

public static class EventResolution
{
    public static EventResolutionResult Measure(GpuSession session, int pairs = 1000)
    {
        var ctx = session.Context;
        ctx.Bind();
        using var stream = ctx.CreateStream();
        using var timer = new EventTimer(ctx, stream);
        var us = new double[pairs];
        for (var i = 0; i < pairs; i++)
        {
            timer.Start();
            us[i] = timer.Stop() * 1e6;
        }
        Array.Sort(us);
        var nonZero = us.Where(v => v > 0).DefaultIfEmpty(double.NaN).Min();
        return new EventResolutionResult(pairs, nonZero, us[pairs / 2], us.Count(v => v <= 0) / (double)pairs);
    }

    /// <summary>The granularity implied by a set of readings: the smallest positive gap between distinct values.</summary>
    public static double Granularity(IReadOnlyList<double> readings)
    {
        var distinct = readings.Distinct().Order().ToArray();
        var best = double.PositiveInfinity;
        for (var i = 1; i < distinct.Length; i++) best = Math.Min(best, distinct[i] - distinct[i - 1]);
        return best;
    }
}
