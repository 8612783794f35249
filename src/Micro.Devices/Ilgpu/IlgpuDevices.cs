using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Micro.Core.Context;

namespace Micro.Devices.Ilgpu;

/// <summary>Turns ILGPU's device descriptions into Micro's DeviceInfo.</summary>
public static class IlgpuDevices
{
    public const string EmulatorName = "ILGPU CPU accelerator";

    public static DeviceInfo Describe(Device d, int ordinal)
    {
        if (d is CudaDevice cuda)
        {
            // ILGPU reports both clocks in MHz (an H100 shows ClockRate 1980); the driver attribute itself is in kHz.
            long memClockMHz = cuda.MemoryClockRate, busBits = cuda.MemoryBusWidth;
            return new DeviceInfo
            {
                Name = cuda.Name, Kind = DeviceKind.Gpu, Source = "ilgpu-cuda", Ordinal = cuda.DeviceId,
                MemoryBytes = cuda.MemorySize, ComputeUnits = cuda.NumMultiprocessors,
                ClockMHz = cuda.ClockRate, MemoryClockMHz = cuda.MemoryClockRate,
                MemoryBusWidthBits = cuda.MemoryBusWidth, LastLevelCacheBytes = cuda.L2CacheSize,
                ComputeCapability = cuda.Architecture?.ToString(), Driver = cuda.DriverVersion.ToString(),
                PciBusId = $"{cuda.PCIDomainId:x4}:{cuda.PCIBusId:x2}:{cuda.PCIDeviceId:x2}.0",
                // Double data rate: two transfers per memory clock.
                TheoreticalBandwidthGBps = memClockMHz > 0 && busBits > 0 ? 2.0 * memClockMHz * 1e6 * busBits / 8 / 1e9 : null,
            };
        }
        var kind = d.AcceleratorType == AcceleratorType.CPU ? DeviceKind.Emulator : DeviceKind.Gpu;
        return new DeviceInfo
        {
            Name = d.AcceleratorType == AcceleratorType.CPU ? EmulatorName : d.Name,
            Kind = kind,
            Source = "ilgpu-" + d.AcceleratorType.ToString().ToLowerInvariant(),
            Ordinal = ordinal,
            MemoryBytes = d.AcceleratorType == AcceleratorType.CPU ? null : d.MemorySize,
            ComputeUnits = d.NumMultiprocessors,
            Note = kind == DeviceKind.Emulator ? "emulator for correctness at small sizes (about 0.01 GB/s), not a ceiling" : null,
        };
    }
}
