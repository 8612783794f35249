using Micro.Core.Context;
using Micro.Suites.Memory;

namespace Micro.Suites.Tests;

/// <summary>A plain managed stream backend (reference semantics) for testing the suite's own logic.</summary>
internal sealed class ManagedStreamBackend : IStreamBackend
{
    public StreamTarget Target { get; } = new()
    {
        Backend = "managed", Timer = "host-clock", Ceiling = "memory_bandwidth",
        Device = new DeviceInfo { Name = "managed test device", Kind = DeviceKind.Host, Source = "test", LastLevelCacheBytes = 1 << 20, MemoryBytes = 1L << 30 },
    };
    public bool Supports(StreamDType dtype) => true;
    public IStreamArrays Allocate(StreamDType dtype, long elements) => new ManagedStreamArrays(dtype, elements);
    public void Dispose() { }
}

internal sealed class ManagedStreamArrays(StreamDType dtype, long elements) : IStreamArrays
{
    private readonly double[] _a = new double[elements], _b = new double[elements], _c = new double[elements];
    public long Elements => elements;
    public StreamDType DType => dtype;
    public double LastSum { get; private set; }

    public void Initialize(StreamValues v)
    {
        Array.Fill(_a, dtype.Round(v.A));
        Array.Fill(_b, dtype.Round(v.B));
        Array.Fill(_c, dtype.Round(v.C));
    }

    public double Run(StreamKernel kernel, double scalar)
    {
        var s = dtype.Round(scalar);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        double sum = 0;
        for (var i = 0; i < _a.Length; i++)
        {
            switch (kernel)
            {
                case StreamKernel.Copy: _c[i] = _a[i]; break;
                case StreamKernel.Mul: _b[i] = dtype.Round(s * _c[i]); break;
                case StreamKernel.Add: _c[i] = dtype.Round(_a[i] + _b[i]); break;
                case StreamKernel.Triad: _a[i] = dtype.Round(_b[i] + dtype.Round(s * _c[i])); break;
                case StreamKernel.Nstream: _a[i] = dtype.Round(_a[i] + dtype.Round(_b[i] + dtype.Round(s * _c[i]))); break;
                case StreamKernel.Write: _c[i] = s; break;
                case StreamKernel.Dot: sum += dtype.Round(_a[i] * _b[i]); break;
                case StreamKernel.Read: sum += _a[i]; break;
            }
        }
        LastSum = sum;
        return Math.Max(sw.Elapsed.TotalSeconds, 1e-9);
    }

    public void CopyOut(StreamArray array, long offset, Span<double> dest) =>
        (array switch { StreamArray.A => _a, StreamArray.B => _b, _ => _c }).AsSpan((int)offset, dest.Length).CopyTo(dest);

    public void Dispose() { }
}

/// <summary>Wraps a backend and corrupts what it computes: one element of the array a kernel writes, or its sum.</summary>
internal sealed class CorruptingBackend(IStreamBackend inner) : IStreamBackend
{
    public StreamTarget Target => inner.Target with { Backend = "corrupt-" + inner.Target.Backend };
    public bool Supports(StreamDType dtype) => inner.Supports(dtype);
    public IStreamArrays Allocate(StreamDType dtype, long elements) => new Arrays(inner.Allocate(dtype, elements));
    public void Dispose() => inner.Dispose();

    private sealed class Arrays(IStreamArrays inner) : IStreamArrays
    {
        private StreamKernel? _last;
        public long Elements => inner.Elements;
        public StreamDType DType => inner.DType;
        public double LastSum => inner.LastSum * 1.01;
        public void Initialize(StreamValues start) { inner.Initialize(start); _last = null; }
        public double Run(StreamKernel kernel, double scalar) { _last = kernel; return inner.Run(kernel, scalar); }
        public void CopyOut(StreamArray array, long offset, Span<double> dest)
        {
            inner.CopyOut(array, offset, dest);
            var written = _last switch
            {
                StreamKernel.Copy or StreamKernel.Add or StreamKernel.Write => StreamArray.C,
                StreamKernel.Mul => StreamArray.B,
                StreamKernel.Triad or StreamKernel.Nstream => StreamArray.A,
                _ => (StreamArray?)null,
            };
            var middle = Elements / 2;
            if (array == written && middle >= offset && middle < offset + dest.Length) dest[(int)(middle - offset)] += 1e-3;
        }
        public void Dispose() => inner.Dispose();
    }
}

internal sealed class FixedProvider(string name, Func<IStreamBackend> make) : IStreamBackendProvider
{
    public string Name => name;
    public string Description => "test";
    public StreamBackendSet Open(bool quick) => new([make()], null);
}
