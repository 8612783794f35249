using System.Collections.Concurrent;
using Micro.Core.Context;
using Micro.Devices.Native;
using Micro.Devices.Nvml;
using Micro.Devices.Nvrtc;

namespace Micro.Devices.Cuda;

/// <summary>
/// Everything a native GPU suite needs for one device: the primary context, facts about the device,
/// NVRTC-compiled modules of the embedded kernels (for the device's exact sm_XX), and NVML telemetry.
/// One per device per process (<see cref="Open"/>); the primary context is shared with ILGPU if both run.
/// </summary>
public sealed class GpuSession
{
    private static readonly ConcurrentDictionary<int, Lazy<GpuSession>> Sessions = new();
    private readonly ConcurrentDictionary<string, Lazy<(CudaModule Module, CompiledKernel Kernel)>> _modules = new();
    private static readonly List<TelemetrySample> TelemetryLog = [];

    public CudaDevice Device { get; }
    public CudaContext Context { get; }
    public DeviceInfo Info { get; }
    public string Arch { get; }
    public NvmlTelemetry? Telemetry { get; }
    public string? TelemetryUnavailable { get; }

    private GpuSession(int ordinal)
    {
        Device = new CudaDevice(ordinal);
        Context = new CudaContext(Device);
        Info = Device.Describe();
        Arch = Device.Arch;
        Telemetry = NvmlTelemetry.For(Info.PciBusId, ordinal, Info.Name, out var why);
        TelemetryUnavailable = why;
        if (Telemetry is not null) PowerSources.Register(Info.Name, Info.PciBusId, Telemetry);
    }

    /// <summary>The session for device <paramref name="ordinal"/>, or null with the one-line reason (no driver, no device ...).</summary>
    public static GpuSession? TryOpen(int ordinal, out string why)
    {
        why = "";
        if (!CudaDriver.TryInitialize(out why)) return null;
        try
        {
            var n = CudaDriver.DeviceCount();
            if (ordinal >= n) { why = $"no CUDA device {ordinal} (the driver reports {n})"; return null; }
            return Sessions.GetOrAdd(ordinal, o => new Lazy<GpuSession>(() => new GpuSession(o))).Value;
        }
        catch (CudaException e)
        {
            why = e.Message;
            return null;
        }
    }

    /// <summary>kernels/<paramref name="kernelFile"/> compiled by NVRTC for this device and loaded (once per session).</summary>
    public CudaModule Module(string kernelFile, Action<string>? note = null)
    {
        var lazy = _modules.GetOrAdd(kernelFile, f => new Lazy<(CudaModule, CompiledKernel)>(() =>
        {
            var compiled = NvrtcCompiler.CompileEmbedded(f, Arch);
            return (Context.LoadModule(compiled.Image), compiled);
        }));
        var created = lazy.IsValueCreated;
        var (module, kernel) = lazy.Value;
        if (!created)
            note?.Invoke($"kernels/{kernelFile}: {kernel.Kind} for {kernel.Arch} " +
                         (kernel.FromCache ? $"from cache {KernelCache.Directory}" : $"compiled by NVRTC {NvrtcCompiler.Version()}") + $" (hash {kernel.Hash})");
        return module;
    }

    /// <summary>Why native kernels cannot run here (NVRTC missing), or null when they can.</summary>
    public static string? NativeKernelsUnavailable() => NvrtcCompiler.TryLoad(out var why) ? null : why;

    /// <summary>Records an NVML sample (also kept for the run context) and returns its one-line form, or null without NVML.</summary>
    public string? SampleTelemetry(string when)
    {
        if (Telemetry is null) return null;
        var s = Telemetry.Sample(when);
        lock (TelemetryLog) TelemetryLog.Add(s);
        return NvmlTelemetry.Format(s);
    }

    /// <summary>Every telemetry sample taken in this process (for RunContext.Telemetry).</summary>
    public static IReadOnlyList<TelemetrySample> TelemetrySamples()
    {
        lock (TelemetryLog) return TelemetryLog.ToArray();
    }

    /// <summary>Library name -> file (and API version where the library reports one), for the run context and the device script's log.</summary>
    public static IReadOnlyDictionary<string, string> LoadedLibraries()
    {
        var loaded = new SortedDictionary<string, string>(NativeLibraries.Loaded().ToDictionary(l => l.Display, l => l.Path), StringComparer.Ordinal);
        AddVersion(loaded, NativeLibraries.Cuda, CudaDriver.Version);
        AddVersion(loaded, NativeLibraries.Nvrtc, NvrtcCompiler.Version);
        return loaded;
    }

    private static void AddVersion(IDictionary<string, string> loaded, string logical, Func<string> version)
    {
        var display = NativeLibraries.Specs[logical].Display;
        if (!loaded.TryGetValue(display, out var path)) return;
        try { loaded[display] = $"{path} (version {version()})"; }
        catch (Exception e) when (e is CudaException or NvrtcException or InvalidOperationException) { }
    }
}
