using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Util;

namespace Micro.Suites.Memory.Backends;

/// <summary>Three ILGPU buffers of float or double, plus the one-element reduction buffer.</summary>
internal sealed class IlgpuStreamArrays<T> : IStreamArrays where T : unmanaged
{
    private readonly IlgpuStreamBackend _backend;
    private readonly MemoryBuffer1D<T, Stride1D.Dense> _a, _b, _c, _sum;

    public IlgpuStreamArrays(IlgpuStreamBackend backend, long elements, StreamDType dtype)
    {
        if (typeof(T) != (dtype == StreamDType.Float ? typeof(float) : typeof(double))) throw new ArgumentException("element type and dtype differ");
        _backend = backend;
        Elements = elements;
        DType = dtype;
        var acc = backend.Accelerator;
        _a = acc.Allocate1D<T>(elements);
        _b = acc.Allocate1D<T>(elements);
        _c = acc.Allocate1D<T>(elements);
        _sum = acc.Allocate1D<T>(1);
    }

    public long Elements { get; }
    public StreamDType DType { get; }
    public double LastSum { get; private set; }

    public void Initialize(StreamValues start)
    {
        var k = _backend.Kernels;
        var stream = _backend.Accelerator.DefaultStream;
        if (DType == StreamDType.Float)
        {
            k.FillF(stream, (int)Elements, F(_a), (float)start.A);
            k.FillF(stream, (int)Elements, F(_b), (float)start.B);
            k.FillF(stream, (int)Elements, F(_c), (float)start.C);
        }
        else
        {
            k.FillD(stream, (int)Elements, D(_a), start.A);
            k.FillD(stream, (int)Elements, D(_b), start.B);
            k.FillD(stream, (int)Elements, D(_c), start.C);
        }
        stream.Synchronize();
    }

    public double Run(StreamKernel kernel, double scalar)
    {
        var reduces = kernel is StreamKernel.Dot or StreamKernel.Read;
        var stream = _backend.Accelerator.DefaultStream;
        if (reduces)
        {
            _sum.MemSetToZero(stream);
            stream.Synchronize();
        }
        var t = DType == StreamDType.Float ? _backend.Time(s => LaunchFloat(s, kernel, (float)scalar)) : _backend.Time(s => LaunchDouble(s, kernel, scalar));
        if (reduces)
        {
            var host = _sum.GetAsArray1D();
            LastSum = DType == StreamDType.Float ? (float)(object)host[0] : (double)(object)host[0];
        }
        return t;
    }

    private void LaunchFloat(AcceleratorStream s, StreamKernel kernel, float k)
    {
        var ks = _backend.Kernels;
        ArrayView<Float4> a = F(_a).Cast<Float4>(), b = F(_b).Cast<Float4>(), c = F(_c).Cast<Float4>();
        var n = (int)a.Length;
        switch (kernel)
        {
            case StreamKernel.Copy: ks.CopyF(s, n, a, c); break;
            case StreamKernel.Mul: ks.MulF(s, n, b, c, k); break;
            case StreamKernel.Add: ks.AddF(s, n, a, b, c); break;
            case StreamKernel.Triad: ks.TriadF(s, n, a, b, c, k); break;
            case StreamKernel.Nstream: ks.NstreamF(s, n, a, b, c, k); break;
            case StreamKernel.Write: ks.WriteF(s, n, c, k); break;
            case StreamKernel.Dot: ks.DotF(s, ks.ReduceConfig, a, b, F(_sum)); break;
            case StreamKernel.Read: ks.ReadF(s, ks.ReduceConfig, a, F(_sum)); break;
            default: throw new ArgumentOutOfRangeException(nameof(kernel), kernel, null);
        }
    }

    private void LaunchDouble(AcceleratorStream s, StreamKernel kernel, double k)
    {
        var ks = _backend.Kernels;
        ArrayView<Double2> a = D(_a).Cast<Double2>(), b = D(_b).Cast<Double2>(), c = D(_c).Cast<Double2>();
        var n = (int)a.Length;
        switch (kernel)
        {
            case StreamKernel.Copy: ks.CopyD(s, n, a, c); break;
            case StreamKernel.Mul: ks.MulD(s, n, b, c, k); break;
            case StreamKernel.Add: ks.AddD(s, n, a, b, c); break;
            case StreamKernel.Triad: ks.TriadD(s, n, a, b, c, k); break;
            case StreamKernel.Nstream: ks.NstreamD(s, n, a, b, c, k); break;
            case StreamKernel.Write: ks.WriteD(s, n, c, k); break;
            case StreamKernel.Dot: ks.DotD(s, ks.ReduceConfig, a, b, D(_sum)); break;
            case StreamKernel.Read: ks.ReadD(s, ks.ReduceConfig, a, D(_sum)); break;
            default: throw new ArgumentOutOfRangeException(nameof(kernel), kernel, null);
        }
    }

    public void CopyOut(StreamArray array, long offset, Span<double> dest)
    {
        var buffer = array switch { StreamArray.A => _a, StreamArray.B => _b, _ => _c };
        var host = new T[dest.Length];
        var stream = _backend.Accelerator.DefaultStream;
        buffer.View.SubView(offset, dest.Length).CopyToCPU(stream, ref host[0], dest.Length);
        stream.Synchronize();
        if (host is float[] f) for (var i = 0; i < f.Length; i++) dest[i] = f[i];
        else MemoryMarshal.Cast<T, double>(host).CopyTo(dest);
    }

    private static ArrayView<float> F(MemoryBuffer1D<T, Stride1D.Dense> b) => b.View.AsContiguous().Cast<float>();
    private static ArrayView<double> D(MemoryBuffer1D<T, Stride1D.Dense> b) => b.View.AsContiguous().Cast<double>();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
        _sum.Dispose();
    }
}
