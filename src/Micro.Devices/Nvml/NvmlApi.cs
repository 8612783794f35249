using System.Runtime.InteropServices;
using Micro.Devices.Native;

namespace Micro.Devices.Nvml;

/// <summary>NVML (nvml.h) calls Micro uses for discovery and telemetry; nvmlDevice_t is an opaque pointer.</summary>
internal static unsafe partial class NvmlApi
{
    static NvmlApi() => NativeLibraries.EnsureRegistered();
    private const string L = NativeLibraries.Nvml;

    [LibraryImport(L)] internal static partial int nvmlInit_v2();
    [LibraryImport(L)] internal static partial int nvmlShutdown();
    [LibraryImport(L)] internal static partial byte* nvmlErrorString(int result);
    [LibraryImport(L)] internal static partial int nvmlSystemGetDriverVersion(byte* version, uint length);
    [LibraryImport(L)] internal static partial int nvmlDeviceGetCount_v2(uint* count);
    [LibraryImport(L)] internal static partial int nvmlDeviceGetHandleByIndex_v2(uint index, IntPtr* device);
    [LibraryImport(L)] internal static partial int nvmlDeviceGetHandleByPciBusId_v2(byte* pciBusId, IntPtr* device);
    [LibraryImport(L)] internal static partial int nvmlDeviceGetName(IntPtr device, byte* name, uint length);
    [LibraryImport(L)] internal static partial int nvmlDeviceGetUUID(IntPtr device, byte* uuid, uint length);
    [LibraryImport(L)] internal static partial int nvmlDeviceGetMemoryInfo(IntPtr device, NvmlMemory* memory);
    [LibraryImport(L)] internal static partial int nvmlDeviceGetTemperature(IntPtr device, int sensor, uint* celsius);
    [LibraryImport(L)] internal static partial int nvmlDeviceGetPowerUsage(IntPtr device, uint* milliwatts);
    [LibraryImport(L)] internal static partial int nvmlDeviceGetEnforcedPowerLimit(IntPtr device, uint* milliwatts);
    [LibraryImport(L)] internal static partial int nvmlDeviceGetClockInfo(IntPtr device, int clockType, uint* mhz);
    [LibraryImport(L)] internal static partial int nvmlDeviceGetCurrentClocksEventReasons(IntPtr device, ulong* reasons);
    [LibraryImport(L)] internal static partial int nvmlDeviceGetCurrentClocksThrottleReasons(IntPtr device, ulong* reasons);
    [LibraryImport(L)] internal static partial int nvmlDeviceGetTotalEnergyConsumption(IntPtr device, ulong* millijoules);
}

/// <summary>nvmlMemory_t (v1): total, free, used bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlMemory
{
    public ulong Total;
    public ulong Free;
    public ulong Used;
}
