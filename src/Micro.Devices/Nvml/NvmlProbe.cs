using Micro.Core.Context;
using Micro.Devices.Discovery;

namespace Micro.Devices.Nvml;

/// <summary>Device discovery through NVML (names, UUIDs, memory, driver version). Never throws for a missing library.</summary>
public sealed class NvmlProbe : IDeviceProbe
{
    public string Name => "nvml";

    public ProbeResult Probe()
    {
        if (!Nvml.TryInitialize(out var why)) return ProbeResult.None(why);
        try
        {
            var driver = Nvml.DriverVersion();
            var devices = new List<DeviceInfo>();
            for (var i = 0; i < Nvml.DeviceCount(); i++)
            {
                var d = Nvml.Device(i);
                devices.Add(new DeviceInfo
                {
                    Name = Nvml.Name(d) ?? $"NVIDIA GPU {i}",
                    Kind = DeviceKind.Gpu,
                    Source = "nvml",
                    Ordinal = i,
                    Uuid = Nvml.Uuid(d),
                    MemoryBytes = Nvml.MemoryBytes(d),
                    Driver = driver is null ? null : "NVIDIA " + driver,
                });
            }
            return new ProbeResult(devices, devices.Count == 0 ? "NVML found no devices" : null);
        }
        catch (Exception e) when (e is InvalidOperationException or EntryPointNotFoundException)
        {
            return ProbeResult.None(e.Message);
        }
    }
}
