using Micro.Core.Context;
using Micro.Devices.Discovery;

namespace Micro.Devices.Cuda;

/// <summary>Device discovery through the CUDA driver API (SMs, L2, memory clock x bus width, compute capability).</summary>
public sealed class CudaDeviceProbe : IDeviceProbe
{
    public string Name => "cuda-driver";

    public ProbeResult Probe()
    {
        if (!CudaDriver.TryInitialize(out var why)) return ProbeResult.None(why);
        try
        {
            var devices = new List<DeviceInfo>();
            for (var i = 0; i < CudaDriver.DeviceCount(); i++) devices.Add(new CudaDevice(i).Describe());
            return new ProbeResult(devices, devices.Count == 0 ? "the CUDA driver reports no devices" : null);
        }
        catch (CudaException e)
        {
            return ProbeResult.None(e.Message);
        }
    }
}
