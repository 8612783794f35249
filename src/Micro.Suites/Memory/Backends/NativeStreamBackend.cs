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

    public StreamBackendSet Open(bool quick)
    {
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
            try { backends.Add(new NativeStreamBackend(session)); }
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
    internal GpuSession Session { get; }
    internal CudaModule Module { get; }
    internal NativeGridPolicy Policy { get; }

    internal NativeStreamBackend(GpuSession session, NativeGridPolicy policy = NativeStreamGrid.Default)
    {
        Session = session;
        Policy = policy;
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
                ["items_per_thread"] = NativeStreamGrid.ItemsPerThread.ToString(CultureInfo.InvariantCulture),
                ["block"] = NativeStreamGrid.Block.ToString(CultureInfo.InvariantCulture),
                ["grid_policy"] = policy.ToString().ToLowerInvariant(),
                ["grid"] = NativeStreamGrid.Describe(policy),
                ["reduction"] = "per-block partial sums, summed on the host",
            },
        };
    }

    public StreamTarget Target { get; }
    public bool Supports(StreamDType dtype) => dtype == StreamDType.Float;

    public IStreamArrays Allocate(StreamDType dtype, long elements)
    {
        if (dtype != StreamDType.Float) throw new ArgumentException("the native stream kernels are fp32 only", nameof(dtype));
        if (elements % 4 != 0) throw new ArgumentException("native stream arrays need a multiple of 4 elements (16-byte vectors)", nameof(elements));
        var bytes = 3 * elements * 4;
        var (free, _) = Session.Context.MemoryInfo();
        if (bytes > free * 0.9) throw new OutOfMemoryException($"3 arrays of {elements} float need {bytes} bytes, more than 90% of the {free} bytes free");
        return new NativeStreamArrays(this, elements);
    }

    /// <summary>The per-device state lives in the process-wide GpuSession; nothing to free here.</summary>
    public void Dispose() { }
}
