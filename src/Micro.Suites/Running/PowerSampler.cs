using Micro.Core.Context;

namespace Micro.Suites.Running;

/// <summary>
/// Reads a device's power sensors on its own thread every <see cref="IntervalMs"/> while a point is timed, so power,
/// clocks, temperature and throttle reasons are seen during the work, not only before and after it. The energy comes
/// from the counter read at <see cref="Start"/> and at <see cref="Stop"/>; the arithmetic is <see cref="PowerWindow"/>'s.
/// </summary>
public sealed class PowerSampler : IDisposable
{
    public const double IntervalMs = 20;

    private readonly IPowerSource _source;
    private readonly PowerReading _start;
    private readonly List<PowerReading> _samples = [];
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new(false);
    private string? _failure;

    private PowerSampler(IPowerSource source)
    {
        _source = source;
        _start = source.Read();
        _thread = new Thread(Loop) { IsBackground = true, Name = "micro-power-sampler" };
        _thread.Start();
    }

    public static PowerSampler Start(IPowerSource source) => new(source);

    /// <summary>Seconds since the window started.</summary>
    public double Elapsed => PowerReading.Now() - _start.Seconds;

    private void Loop()
    {
        while (!_stop.Wait(TimeSpan.FromMilliseconds(IntervalMs)))
        {
            try
            {
                var r = _source.Read();
                lock (_samples) _samples.Add(r);
            }
            catch (Exception e) when (e is InvalidOperationException or EntryPointNotFoundException or DllNotFoundException)
            {
                _failure = e.Message;
                return;
            }
        }
    }

    public PowerSummary Stop()
    {
        _stop.Set();
        _thread.Join();
        var end = _source.Read();
        List<PowerReading> samples;
        lock (_samples) samples = [.. _samples];
        var summary = PowerWindow.Summarize(_start, end, samples, IntervalMs);
        return _failure is null ? summary : summary with { NotAvailable = summary.NotAvailable ?? "sampling stopped: " + _failure };
    }

    public void Dispose()
    {
        _stop.Set();
        if (_thread.IsAlive) _thread.Join();
        _stop.Dispose();
    }
}
