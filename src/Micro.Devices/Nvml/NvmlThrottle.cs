namespace Micro.Devices.Nvml;

/// <summary>nvmlClocksEventReasons bits (nvml.h) and their names, so a throttled run says why.</summary>
public static class NvmlThrottle
{
    public static readonly IReadOnlyList<(ulong Bit, string Name)> Reasons =
    [
        (0x1, "gpu_idle"),
        (0x2, "applications_clocks_setting"),
        (0x4, "sw_power_cap"),
        (0x8, "hw_slowdown"),
        (0x10, "sync_boost"),
        (0x20, "sw_thermal_slowdown"),
        (0x40, "hw_thermal_slowdown"),
        (0x80, "hw_power_brake_slowdown"),
        (0x100, "display_clock_setting"),
    ];

    public static IReadOnlyList<string> Names(ulong mask) =>
        Reasons.Where(r => (mask & r.Bit) != 0).Select(r => r.Name)
               .Concat((mask & ~0x1FFUL) != 0 ? [$"other(0x{mask & ~0x1FFUL:x})"] : [])
               .ToList();

    /// <summary>True when a reason other than idle / application clocks / display is active: the figures may be throttled.</summary>
    public static bool IsThrottling(ulong mask) => (mask & ~(0x1UL | 0x2UL | 0x100UL)) != 0;
}
