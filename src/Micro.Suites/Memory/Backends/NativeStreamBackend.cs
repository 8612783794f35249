using System.Globalization;
using Micro.Core.Ceilings;
using Micro.Devices.Cuda;
using Micro.Devices.Nvrtc;

namespace Micro.Suites.Memory.Backends;

/// <summary>
/// Native CUDA C stream kernels (kernels/stream.cu) compiled by NVRTC for the device's exact sm_XX and launched through
/// Micro's driver bindings: the speed-of-light reference the ILGPU kernels are compared with. fp32 only (the kernels
/// use 16-byte mc_float4 accesses).
/// </summary>
public sealed class NativeStreamProvider : IStreamBackendProvider
{
    public string Name => "native";
    public string Description => "CUDA C kernels (kernels/stream.cu) compiled by NVRTC for the exact GPU, float only";

    public StreamBackendSet Open(bool quick) => Open(quick, new MemoryOptions());

    /// <summary><see cref="MemoryOptions.NativeConfig"/>: "tune" (default) or a fixed config (NativeStreamConfig.Parse).</summary>
    public StreamBackendSet Open(bool quick, MemoryOptions options)
    {
        var config = NativeStreamConfig.Parse(options.NativeConfig);
        if (!CudaDriver.TryInitialize(out var why)) return StreamBackendSet.None(why);
        if (GpuSession.NativeKernelsUnavailable() is { } nvrtc) return StreamBackendSet.None(nvrtc);
        var backends = new List<IStreamBackend>();
        string? unavailable = null;
        int count;
        try { count = CudaDriver.DeviceCount(); }
        catch (CudaException e) { return StreamBackendSet.None(e.Message); }
        for (var i = 0; i < count; i++)
        {
            var session = GpuSession.TryOpen(i, out var w);
            if (session is null) { unavailable = w; continue; }
            try { backends.Add(new NativeStreamBackend(session, config, quick)); }
            catch (Exception e) when (e is CudaException or NvrtcException)
            {
                unavailable = $"native on {session.Info.Name}: {e.Message}";
            }
        }
        return new StreamBackendSet(backends, backends.Count == 0 ? unavailable ?? "no CUDA devices" : unavailable);
    }
}

public sealed class NativeStreamBackend : IStreamBackend
{
    private readonly NativeStreamConfig? _fixed;
    private readonly bool _quick;
    private IReadOnlyDictionary<StreamKernel, NativeConfigChoice>? _chosen;

    internal GpuSession Session { get; }
    internal CudaModule Module { get; }

    /// <param name="config">A fixed launch config for every kernel; null: tune (time every candidate, keep the fastest).</param>
    internal NativeStreamBackend(GpuSession session, NativeStreamConfig? config, bool quick)
    {
        Session = session;
        _fixed = config;
        _quick = quick;
        Module = session.Module("stream.cu");
        Target = new StreamTarget
        {
            Backend = "native",
            Device = session.Info,
            Timer = "device-events",
            Ceiling = CeilingNames.MemoryBandwidth,
            Parameters = new Dictionary<string, string>
            {
                ["compiler"] = $"NVRTC {NvrtcCompiler.Version()} --gpu-architecture={session.Arch}",
                ["vector"] = "mc_float4 (128-bit)",
                ["reduction"] = "per-block partial sums, summed on the host",
            },
        };
    }

    public StreamTarget Target { get; }
    public bool Supports(StreamDType dtype) => dtype == StreamDType.Float;

    /// <summary>The config a kernel runs with; set by the first Allocate (tuning there unless fixed).</summary>
    internal NativeConfigChoice ConfigFor(StreamKernel kernel) =>
        _chosen?[kernel] ?? throw new InvalidOperationException("native stream configs are chosen on the first Allocate");

    public IStreamArrays Allocate(StreamDType dtype, long elements)
    {
        if (dtype != StreamDType.Float) throw new ArgumentException("the native stream kernels are fp32 only", nameof(dtype));
        if (elements % 4 != 0) throw new ArgumentException("native stream arrays need a multiple of 4 elements (16-byte vectors)", nameof(elements));
        var bytes = 3 * elements * 4;
        var (free, _) = Session.Context.MemoryInfo();
        if (bytes > free * 0.9) throw new OutOfMemoryException($"3 arrays of {elements} float need {bytes} bytes, more than 90% of the {free} bytes free");
        _chosen ??= Choose(elements, free);
        return new NativeStreamArrays(this, elements);
    }

    private IReadOnlyDictionary<StreamKernel, NativeConfigChoice> Choose(long requested, long free)
    {
        var kernels = Enum.GetValues<StreamKernel>();
        if (_fixed is { } f)
            return kernels.ToDictionary(k => k, k => new NativeConfigChoice(f.ForKernel(k), "fixed by --native-config"));
        // Tune at the largest past-cache length of the default sweep (the headline points), or at the requested
        // length when that would take more than half the free memory. Tuning arrays are freed before the measured ones exist.
        var tuneAt = StreamSizing.Sweep(Target, StreamDType.Float, _quick, null, null)
            .Where(s => s.PastCache).Select(s => s.Elements).DefaultIfEmpty(requested).Max();
        if (3 * tuneAt * 4 > free * 0.5) tuneAt = requested;
        using var arrays = new NativeStreamArrays(this, tuneAt);
        return NativeStreamTuner.Tune(arrays, kernels, NativeStreamConfig.CandidatesFor);
    }

    /// <summary>The per-device state lives in the process-wide GpuSession; nothing to free here.</summary>
    public void Dispose() { }
}
