using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Util;

namespace Micro.Suites.Memory.Backends;

/// <summary>
/// The stream kernels as ILGPU C# kernels. Element-wise kernels work on 128-bit vectors (Float4, Double2) so
/// the PTX uses ld.global.v4 / st.global.v4 (tests/Micro.Suites.Tests checks the PTX). Reductions use
/// ILGPU.Algorithms' group reduction, then one atomic add per group.
/// </summary>
public static class IlgpuStreamKernels
{
    public static void FillFloat(Index1D i, ArrayView<float> x, float v) => x[i] = v;
    public static void FillDouble(Index1D i, ArrayView<double> x, double v) => x[i] = v;

    public static void CopyFloat(Index1D i, ArrayView<Float4> a, ArrayView<Float4> c) => c[i] = a[i];
    public static void MulFloat(Index1D i, ArrayView<Float4> b, ArrayView<Float4> c, float s) => b[i] = new Float4(s) * c[i];
    public static void AddFloat(Index1D i, ArrayView<Float4> a, ArrayView<Float4> b, ArrayView<Float4> c) => c[i] = a[i] + b[i];
    public static void TriadFloat(Index1D i, ArrayView<Float4> a, ArrayView<Float4> b, ArrayView<Float4> c, float s) => a[i] = b[i] + new Float4(s) * c[i];
    public static void NstreamFloat(Index1D i, ArrayView<Float4> a, ArrayView<Float4> b, ArrayView<Float4> c, float s) => a[i] = a[i] + (b[i] + new Float4(s) * c[i]);
    public static void WriteFloat(Index1D i, ArrayView<Float4> c, float s) => c[i] = new Float4(s);

    public static void CopyDouble(Index1D i, ArrayView<Double2> a, ArrayView<Double2> c) => c[i] = a[i];
    public static void MulDouble(Index1D i, ArrayView<Double2> b, ArrayView<Double2> c, double s) => b[i] = new Double2(s) * c[i];
    public static void AddDouble(Index1D i, ArrayView<Double2> a, ArrayView<Double2> b, ArrayView<Double2> c) => c[i] = a[i] + b[i];
    public static void TriadDouble(Index1D i, ArrayView<Double2> a, ArrayView<Double2> b, ArrayView<Double2> c, double s) => a[i] = b[i] + new Double2(s) * c[i];
    public static void NstreamDouble(Index1D i, ArrayView<Double2> a, ArrayView<Double2> b, ArrayView<Double2> c, double s) => a[i] = a[i] + (b[i] + new Double2(s) * c[i]);
    public static void WriteDouble(Index1D i, ArrayView<Double2> c, double s) => c[i] = new Double2(s);

    /// <summary>sum += a.b over a grid-stride loop (explicitly grouped launch).</summary>
    public static void DotFloat(ArrayView<Float4> a, ArrayView<Float4> b, ArrayView<float> sum)
    {
        var acc = 0f;
        for (var i = Grid.GlobalIndex.X; i < a.Length; i += Grid.DimX * Group.DimX)
        {
            var p = a[i] * b[i];
            acc += p.X + p.Y + p.Z + p.W;
        }
        var total = GroupExtensions.Reduce<float, AddFloat>(acc);
        if (Group.IsFirstThread) Atomic.Add(ref sum[0], total);
    }

    public static void DotDouble(ArrayView<Double2> a, ArrayView<Double2> b, ArrayView<double> sum)
    {
        var acc = 0.0;
        for (var i = Grid.GlobalIndex.X; i < a.Length; i += Grid.DimX * Group.DimX)
        {
            var p = a[i] * b[i];
            acc += p.X + p.Y;
        }
        var total = GroupExtensions.Reduce<double, AddDouble>(acc);
        if (Group.IsFirstThread) Atomic.Add(ref sum[0], total);
    }

    /// <summary>sum += a over a grid-stride loop: the read-only sweep.</summary>
    public static void ReadFloat(ArrayView<Float4> a, ArrayView<float> sum)
    {
        var acc = 0f;
        for (var i = Grid.GlobalIndex.X; i < a.Length; i += Grid.DimX * Group.DimX)
        {
            var p = a[i];
            acc += p.X + p.Y + p.Z + p.W;
        }
        var total = GroupExtensions.Reduce<float, AddFloat>(acc);
        if (Group.IsFirstThread) Atomic.Add(ref sum[0], total);
    }

    public static void ReadDouble(ArrayView<Double2> a, ArrayView<double> sum)
    {
        var acc = 0.0;
        for (var i = Grid.GlobalIndex.X; i < a.Length; i += Grid.DimX * Group.DimX)
        {
            var p = a[i];
            acc += p.X + p.Y;
        }
        var total = GroupExtensions.Reduce<double, AddDouble>(acc);
        if (Group.IsFirstThread) Atomic.Add(ref sum[0], total);
    }
}
