using Micro.Core.Context;

namespace Micro.Devices.Nvml;

/// <summary>
/// Telemetry of one GPU (matched to NVML by PCI bus id): a sample before and after each suite so throttling
/// is visible beside the figures. Returns null where NVML is unavailable rather than failing a run.
/// </summary>
public sealed class NvmlTelemetry : IPowerSource
{
    private readonly IntPtr _device;
    private readonly string _name;

    private NvmlTelemetry(IntPtr device, string name)
    {
        _device = device;
        _name = name;
    }

    public static NvmlTelemetry? For(string? pciBusId, int ordinal, string deviceName, out string? why)
    {
        why = null;
        if (!Nvml.TryInitialize(out var w)) { why = w; return null; }
        try
        {
            var d = (pciBusId is null ? null : Nvml.DeviceByPciBusId(pciBusId)) ?? Nvml.Device(ordinal);
            return new NvmlTelemetry(d, deviceName);
        }
        catch (InvalidOperationException e)
        {
            why = e.Message;
            return null;
        }
    }

    public TelemetrySample Sample(string when) => Nvml.Sample(_device, _name, when);

    /// <summary>Energy counter, power, clocks, temperature and throttle reasons now, for the runner's power sampler.</summary>
    public PowerReading Read() => Nvml.Power(_device);

    /// <summary>One line for the console: "before gemm: 41 C, 112 W / 700 W, SM 1980 MHz, mem 2619 MHz, reasons: gpu_idle".</summary>
    public static string Format(TelemetrySample s) =>
        $"{s.When}: {s.TemperatureC?.ToString("0") ?? "?"} C, {s.PowerW?.ToString("0") ?? "?"} W / {s.PowerLimitW?.ToString("0") ?? "?"} W, " +
        $"SM {s.SmClockMHz?.ToString() ?? "?"} MHz, mem {s.MemClockMHz?.ToString() ?? "?"} MHz, reasons: " +
        (s.ThrottleReasonNames.Count == 0 ? "none" : string.Join(",", s.ThrottleReasonNames));
}
