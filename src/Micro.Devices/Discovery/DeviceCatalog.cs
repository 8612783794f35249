using Micro.Core.Context;
using Micro.Devices.Cuda;
using Micro.Devices.Host;
using Micro.Devices.Ilgpu;
using Micro.Devices.Nvml;

namespace Micro.Devices.Discovery;

/// <summary>The one list of device probes `micro devices` and run contexts use; add a probe with one line.</summary>
public static class DeviceCatalog
{
    public static IReadOnlyList<IDeviceProbe> Probes { get; } =
    [
        new HostCpuProbe(),
        // CUDA before NVML and ILGPU: consumers that match a device by name take the first, the driver's, which has SMs and L2.
        new CudaDeviceProbe(),
        new NvmlProbe(),
        new IlgpuProbe(),
    ];

    /// <summary>Runs every probe; a probe that throws becomes an "unavailable" line, never a crash.</summary>
    public static IReadOnlyList<(IDeviceProbe Probe, ProbeResult Result)> ProbeAll() =>
        Probes.Select(p => (p, Safe(p))).ToArray();

    public static IReadOnlyList<DeviceInfo> AllDevices() => ProbeAll().SelectMany(x => x.Result.Devices).ToArray();

    /// <summary>The host CPU only: for runs that must load no GPU library (`micro run --backend host`).</summary>
    public static IReadOnlyList<DeviceInfo> HostDevices() => Probes.OfType<HostCpuProbe>().SelectMany(p => Safe(p).Devices).ToArray();

    private static ProbeResult Safe(IDeviceProbe p)
    {
        try { return p.Probe(); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ProbeResult.None($"{p.Name} probe failed: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
    }
}
