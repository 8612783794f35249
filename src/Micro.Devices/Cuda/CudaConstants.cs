namespace Micro.Devices.Cuda;

/// <summary>CUdevice_attribute values (cuda.h) Micro reads.</summary>
public enum CuDeviceAttribute
{
    MaxThreadsPerBlock = 1,
    ClockRateKHz = 13,
    MultiprocessorCount = 16,
    CanMapHostMemory = 19,
    PciBusId = 33,
    PciDeviceId = 34,
    MemoryClockRateKHz = 36,
    GlobalMemoryBusWidthBits = 37,
    L2CacheSize = 38,
    MaxThreadsPerMultiprocessor = 39,
    AsyncEngineCount = 40,
    UnifiedAddressing = 41,
    PciDomainId = 50,
    ComputeCapabilityMajor = 75,
    ComputeCapabilityMinor = 76,
    MaxSharedMemoryPerBlockOptin = 97,
}

/// <summary>Flag and enum values from cuda.h.</summary>
public static class CuConst
{
    public const int Success = 0;
    public const int ErrorNotReady = 600;
    public const uint MemHostAllocPortable = 0x01;
    public const uint MemHostAllocDeviceMap = 0x02;
    public const uint StreamNonBlocking = 0x1;
    public const uint EventDefault = 0x0;
    public const uint EventBlockingSync = 0x1;
    public const int StreamCaptureModeThreadLocal = 1;
    public const int FuncAttributeMaxThreadsPerBlock = 0;
    public const int FuncAttributeNumRegs = 4;
    public const int FuncAttributeLocalSizeBytes = 3;
    public const int FuncAttributeMaxDynamicSharedSizeBytes = 8;
}
