using Micro.Core.Context;

namespace Micro.Devices.Discovery;

/// <summary>One way of finding devices (CUDA driver, NVML, ILGPU, the host). A probe never throws for a missing library.</summary>
public interface IDeviceProbe
{
    string Name { get; }
    ProbeResult Probe();
}

/// <param name="Unavailable">One line saying why nothing was found (e.g. "no CUDA driver: libcuda.so.1 not found"), or null.</param>
public sealed record ProbeResult(IReadOnlyList<DeviceInfo> Devices, string? Unavailable)
{
    public static ProbeResult None(string why) => new([], why);
}
