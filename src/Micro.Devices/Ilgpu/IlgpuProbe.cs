using ILGPU;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using Micro.Core.Context;
using Micro.Devices.Discovery;

namespace Micro.Devices.Ilgpu;

/// <summary>ILGPU's accelerators: CUDA devices where ILGPU finds a driver, and the CPU accelerator (an emulator).</summary>
public sealed class IlgpuProbe : IDeviceProbe
{
    public string Name => "ilgpu";

    public ProbeResult Probe()
    {
        try
        {
            using var context = Context.Create(b => b.DefaultCPU().Cuda());
            var devices = context.Devices.Select((d, i) => IlgpuDevices.Describe(d, i)).ToArray();
            var noCuda = devices.Any(d => d.Source == "ilgpu-cuda") ? null : "ILGPU: no CUDA device (libcuda missing or no GPU); OpenCL is not used";
            return new ProbeResult(devices, noCuda);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ProbeResult.None($"ILGPU could not start: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
    }
}
