using Micro.Core.Ceilings;
using Micro.Devices.Host;

namespace Micro.Suites.Memory.Backends;

/// <summary>native/hoststream's C STREAM kernels (OpenMP, -O3) through P/Invoke: the host's DRAM ceiling.</summary>
public sealed class HostStreamProvider : IStreamBackendProvider
{
    public string Name => "host";
    public string Description => "C STREAM kernels with OpenMP (native/hoststream)";
    public bool OnHost => true;

    public StreamBackendSet Open(bool quick)
    {
        if (HostStream.Unavailable() is { } why) return StreamBackendSet.None(why);
        return new StreamBackendSet([new HostStreamBackend()], null);
    }
}

public sealed class HostStreamBackend : IStreamBackend
{
    public HostStreamBackend()
    {
        var threads = HostStream.Threads();
        Target = new StreamTarget
        {
            Backend = "host",
            Device = HostCpuProbe.Describe(),
            Timer = "host-clock",
            Ceiling = CeilingNames.HostMemoryBandwidth,
            Parameters = new Dictionary<string, string>
            {
                ["threads"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["isa"] = HostStream.Isa(),
                ["omp_proc_bind"] = Environment.GetEnvironmentVariable("OMP_PROC_BIND") ?? "unset",
                ["omp_places"] = Environment.GetEnvironmentVariable("OMP_PLACES") ?? "unset",
            },
        };
    }

    public StreamTarget Target { get; }
    public bool Supports(StreamDType dtype) => true;
    public IStreamArrays Allocate(StreamDType dtype, long elements) => new HostStreamArrays(HostStream.Create(elements, dtype.Size()), dtype);
    public void Dispose() { }
}

internal sealed class HostStreamArrays(HostStream stream, StreamDType dtype) : IStreamArrays
{
    public long Elements => stream.Elements;
    public StreamDType DType => dtype;
    public double LastSum { get; private set; }

    public void Initialize(StreamValues start) => stream.Initialize(start.A, start.B, start.C);

    public double Run(StreamKernel kernel, double scalar)
    {
        var t = stream.Run((int)kernel, scalar, out var sum);
        if (kernel is StreamKernel.Dot or StreamKernel.Read) LastSum = sum;
        return t;
    }

    public void CopyOut(StreamArray array, long offset, Span<double> dest) => stream.CopyOut((int)array, offset, dest);
    public void Dispose() => stream.Dispose();
}
