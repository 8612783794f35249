using System.Runtime.InteropServices;
using System.Text;
using Micro.Core.Context;
using Micro.Devices.Native;

namespace Micro.Devices.Nvml;

/// <summary>NVML session: init once per process, read device facts and telemetry. Missing readings are null, never fatal.</summary>
public static unsafe class Nvml
{
    private static readonly Lazy<string?> InitError = new(() =>
    {
        if (!NativeLibraries.TryLoad(NativeLibraries.Nvml, out var why)) return why;
        try
        {
            var r = NvmlApi.nvmlInit_v2();
            return r == 0 ? null : $"nvmlInit_v2 failed: {Describe(r)} ({r})";
        }
        catch (EntryPointNotFoundException e) { return "NVML unusable: " + e.Message; }
    });

    public static bool TryInitialize(out string why)
    {
        why = InitError.Value ?? "";
        return InitError.Value is null;
    }

    public static string Describe(int result)
    {
        try
        {
            var p = NvmlApi.nvmlErrorString(result);
            if (p != null) return Marshal.PtrToStringUTF8((IntPtr)p) ?? $"nvmlReturn {result}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        return $"nvmlReturn {result}";
    }

    internal static void Check(int result, string call)
    {
        if (result != 0) throw new InvalidOperationException($"{call} failed: {Describe(result)} ({result})");
    }

    public static int DeviceCount()
    {
        uint n;
        Check(NvmlApi.nvmlDeviceGetCount_v2(&n), "nvmlDeviceGetCount_v2");
        return (int)n;
    }

    public static IntPtr Device(int index)
    {
        IntPtr d;
        Check(NvmlApi.nvmlDeviceGetHandleByIndex_v2((uint)index, &d), $"nvmlDeviceGetHandleByIndex_v2({index})");
        return d;
    }

    /// <summary>The NVML device with this PCI bus id ("0000:18:00.0", as cuDeviceGetPCIBusId gives it), or null.</summary>
    public static IntPtr? DeviceByPciBusId(string pciBusId)
    {
        IntPtr d;
        var bytes = Encoding.ASCII.GetBytes(pciBusId + "\0");
        fixed (byte* p = bytes)
            return NvmlApi.nvmlDeviceGetHandleByPciBusId_v2(p, &d) == 0 ? d : null;
    }

    public static string? DriverVersion() => ReadString((p, n) => NvmlApi.nvmlSystemGetDriverVersion(p, n));
    public static string? Name(IntPtr device) => ReadString((p, n) => NvmlApi.nvmlDeviceGetName(device, p, n));
    public static string? Uuid(IntPtr device) => ReadString((p, n) => NvmlApi.nvmlDeviceGetUUID(device, p, n));

    public static long? MemoryBytes(IntPtr device)
    {
        NvmlMemory m;
        return NvmlApi.nvmlDeviceGetMemoryInfo(device, &m) == 0 ? (long)m.Total : null;
    }

    /// <summary>Temperature, power, clocks and throttle reasons now (NVML clock types: 1 = SM, 2 = memory).</summary>
    public static TelemetrySample Sample(IntPtr device, string deviceName, string when)
    {
        uint temp, power, limit, sm, mem;
        ulong reasons = 0;
        var haveReasons = TryReasons(device, &reasons);
        return new TelemetrySample
        {
            Device = deviceName,
            When = when,
            TemperatureC = NvmlApi.nvmlDeviceGetTemperature(device, 0, &temp) == 0 ? temp : null,
            PowerW = NvmlApi.nvmlDeviceGetPowerUsage(device, &power) == 0 ? power / 1000.0 : null,
            PowerLimitW = NvmlApi.nvmlDeviceGetEnforcedPowerLimit(device, &limit) == 0 ? limit / 1000.0 : null,
            SmClockMHz = NvmlApi.nvmlDeviceGetClockInfo(device, 1, &sm) == 0 ? (int)sm : null,
            MemClockMHz = NvmlApi.nvmlDeviceGetClockInfo(device, 2, &mem) == 0 ? (int)mem : null,
            ThrottleReasons = haveReasons ? reasons : null,
            ThrottleReasonNames = haveReasons ? NvmlThrottle.Names(reasons) : [],
        };
    }

    /// <summary>The readings the power sampler takes during a point (energy counter in mJ; Volta and later).</summary>
    public static PowerReading Power(IntPtr device)
    {
        uint temp, power, sm, mem;
        ulong reasons = 0, energy = 0;
        var haveReasons = TryReasons(device, &reasons);
        bool haveEnergy;
        try { haveEnergy = NvmlApi.nvmlDeviceGetTotalEnergyConsumption(device, &energy) == 0; }
        catch (EntryPointNotFoundException) { haveEnergy = false; }
        return new PowerReading(PowerReading.Now(), haveEnergy ? energy : null,
            NvmlApi.nvmlDeviceGetPowerUsage(device, &power) == 0 ? power / 1000.0 : null,
            NvmlApi.nvmlDeviceGetClockInfo(device, 1, &sm) == 0 ? (int)sm : null,
            NvmlApi.nvmlDeviceGetClockInfo(device, 2, &mem) == 0 ? (int)mem : null,
            NvmlApi.nvmlDeviceGetTemperature(device, 0, &temp) == 0 ? temp : null,
            haveReasons ? NvmlThrottle.Names(reasons).Where(n => n != "gpu_idle").ToList() : []);
    }

    private static bool TryReasons(IntPtr device, ulong* reasons)
    {
        try
        {
            if (NvmlApi.nvmlDeviceGetCurrentClocksEventReasons(device, reasons) == 0) return true;
        }
        catch (EntryPointNotFoundException) { }
        try
        {
            return NvmlApi.nvmlDeviceGetCurrentClocksThrottleReasons(device, reasons) == 0;
        }
        catch (EntryPointNotFoundException) { return false; }
    }

    private static string? ReadString(ReadInto call)
    {
        var buf = new byte[256];
        fixed (byte* p = buf)
            if (call(p, (uint)buf.Length) != 0) return null;
        var len = Array.IndexOf(buf, (byte)0);
        return Encoding.UTF8.GetString(buf, 0, len < 0 ? buf.Length : len);
    }

    private delegate int ReadInto(byte* buffer, uint length);
}
