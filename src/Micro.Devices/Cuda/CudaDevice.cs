using Micro.Core.Context;

namespace Micro.Devices.Cuda;

/// <summary>One CUDA device (CUdevice ordinal) and the facts the driver tells about it.</summary>
public sealed unsafe class CudaDevice
{
    public int Ordinal { get; }
    private readonly int _device;

    public CudaDevice(int ordinal)
    {
        CudaDriver.Initialize();
        int d;
        Cu.Check(CudaApi.cuDeviceGet(&d, ordinal), $"cuDeviceGet({ordinal})");
        Ordinal = ordinal;
        _device = d;
    }

    internal int Raw => _device;

    public string Name => CudaDriver.ReadString((p, n) => CudaApi.cuDeviceGetName((byte*)p, n, _device), "cuDeviceGetName");

    public string PciBusId => CudaDriver.ReadString((p, n) => CudaApi.cuDeviceGetPCIBusId((byte*)p, n, _device), "cuDeviceGetPCIBusId", 64);

    public int Attribute(CuDeviceAttribute a)
    {
        int v;
        Cu.Check(CudaApi.cuDeviceGetAttribute(&v, (int)a, _device), $"cuDeviceGetAttribute({a})");
        return v;
    }

    /// <summary>The attribute, or null where this driver no longer reports it (CUDA 13 deprecates some clocks).</summary>
    public int? TryAttribute(CuDeviceAttribute a)
    {
        int v;
        return CudaApi.cuDeviceGetAttribute(&v, (int)a, _device) == CuConst.Success ? v : null;
    }

    public long TotalMemoryBytes
    {
        get
        {
            nuint b;
            Cu.Check(CudaApi.cuDeviceTotalMem_v2(&b, _device), "cuDeviceTotalMem_v2");
            return (long)b;
        }
    }

    public int MultiprocessorCount => Attribute(CuDeviceAttribute.MultiprocessorCount);
    public (int Major, int Minor) ComputeCapability =>
        (Attribute(CuDeviceAttribute.ComputeCapabilityMajor), Attribute(CuDeviceAttribute.ComputeCapabilityMinor));

    /// <summary>NVRTC's --gpu-architecture value for this device, e.g. "sm_90".</summary>
    public string Arch => $"sm_{ComputeCapability.Major}{ComputeCapability.Minor}";

    public DeviceInfo Describe()
    {
        var (maj, min) = ComputeCapability;
        var memKHz = TryAttribute(CuDeviceAttribute.MemoryClockRateKHz);
        var busBits = TryAttribute(CuDeviceAttribute.GlobalMemoryBusWidthBits);
        return new DeviceInfo
        {
            Name = Name,
            Kind = DeviceKind.Gpu,
            Source = "cuda-driver",
            Ordinal = Ordinal,
            PciBusId = PciBusId,
            MemoryBytes = TotalMemoryBytes,
            ComputeUnits = MultiprocessorCount,
            ClockMHz = TryAttribute(CuDeviceAttribute.ClockRateKHz) / 1000,
            MemoryClockMHz = memKHz / 1000,
            MemoryBusWidthBits = busBits,
            LastLevelCacheBytes = TryAttribute(CuDeviceAttribute.L2CacheSize),
            ComputeCapability = $"{maj}.{min}",
            Driver = "CUDA " + CudaDriver.Version(),
            TheoreticalBandwidthGBps = TheoreticalBandwidthGBps(memKHz, busBits),
        };
    }

    /// <summary>
    /// Peak DRAM bandwidth from the driver's memory clock (kHz) and bus width: 2 transfers per clock (DDR/HBM) x bus bytes.
    /// For an H100 SXM (2,619,000 kHz, 5120 bits) this gives 3,352 GB/s, the datasheet's 3.35 TB/s.
    /// </summary>
    public static double? TheoreticalBandwidthGBps(int? memoryClockKHz, int? busWidthBits) =>
        memoryClockKHz is > 0 && busWidthBits is > 0 ? 2.0 * memoryClockKHz.Value * 1e3 * (busWidthBits.Value / 8.0) / 1e9 : null;
}
