using ILGPU;
using ILGPU.Runtime;
using ILGPU.Util;
using K = Micro.Suites.Memory.Backends.IlgpuStreamKernels;

namespace Micro.Suites.Memory.Backends;

/// <summary>The stream kernels loaded (compiled) once per accelerator, with the launch shape of the reductions.</summary>
internal sealed class IlgpuStreamKernelSet
{
    public IlgpuStreamKernelSet(Accelerator acc)
    {
        FillF = acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, float>(K.FillFloat);
        FillD = acc.LoadAutoGroupedKernel<Index1D, ArrayView<double>, double>(K.FillDouble);
        CopyF = acc.LoadAutoGroupedKernel<Index1D, ArrayView<Float4>, ArrayView<Float4>>(K.CopyFloat);
        MulF = acc.LoadAutoGroupedKernel<Index1D, ArrayView<Float4>, ArrayView<Float4>, float>(K.MulFloat);
        AddF = acc.LoadAutoGroupedKernel<Index1D, ArrayView<Float4>, ArrayView<Float4>, ArrayView<Float4>>(K.AddFloat);
        TriadF = acc.LoadAutoGroupedKernel<Index1D, ArrayView<Float4>, ArrayView<Float4>, ArrayView<Float4>, float>(K.TriadFloat);
        NstreamF = acc.LoadAutoGroupedKernel<Index1D, ArrayView<Float4>, ArrayView<Float4>, ArrayView<Float4>, float>(K.NstreamFloat);
        WriteF = acc.LoadAutoGroupedKernel<Index1D, ArrayView<Float4>, float>(K.WriteFloat);
        DotF = acc.LoadKernel<ArrayView<Float4>, ArrayView<Float4>, ArrayView<float>>(K.DotFloat);
        ReadF = acc.LoadKernel<ArrayView<Float4>, ArrayView<float>>(K.ReadFloat);
        CopyD = acc.LoadAutoGroupedKernel<Index1D, ArrayView<Double2>, ArrayView<Double2>>(K.CopyDouble);
        MulD = acc.LoadAutoGroupedKernel<Index1D, ArrayView<Double2>, ArrayView<Double2>, double>(K.MulDouble);
        AddD = acc.LoadAutoGroupedKernel<Index1D, ArrayView<Double2>, ArrayView<Double2>, ArrayView<Double2>>(K.AddDouble);
        TriadD = acc.LoadAutoGroupedKernel<Index1D, ArrayView<Double2>, ArrayView<Double2>, ArrayView<Double2>, double>(K.TriadDouble);
        NstreamD = acc.LoadAutoGroupedKernel<Index1D, ArrayView<Double2>, ArrayView<Double2>, ArrayView<Double2>, double>(K.NstreamDouble);
        WriteD = acc.LoadAutoGroupedKernel<Index1D, ArrayView<Double2>, double>(K.WriteDouble);
        DotD = acc.LoadKernel<ArrayView<Double2>, ArrayView<Double2>, ArrayView<double>>(K.DotDouble);
        ReadD = acc.LoadKernel<ArrayView<Double2>, ArrayView<double>>(K.ReadDouble);

        // Reductions: a power-of-two group, enough groups to fill every multiprocessor, a grid-stride loop for the rest.
        var group = 1;
        while (group * 2 <= Math.Min(256, acc.MaxNumThreadsPerGroup)) group *= 2;
        var perSm = Math.Max(1, acc.MaxNumThreadsPerMultiprocessor / group);
        ReduceConfig = new KernelConfig(Math.Max(1, acc.NumMultiprocessors * perSm), group);
    }

    public KernelConfig ReduceConfig { get; }
    public Action<AcceleratorStream, Index1D, ArrayView<float>, float> FillF { get; }
    public Action<AcceleratorStream, Index1D, ArrayView<double>, double> FillD { get; }
    public Action<AcceleratorStream, Index1D, ArrayView<Float4>, ArrayView<Float4>> CopyF { get; }
    public Action<AcceleratorStream, Index1D, ArrayView<Float4>, ArrayView<Float4>, float> MulF { get; }
    public Action<AcceleratorStream, Index1D, ArrayView<Float4>, ArrayView<Float4>, ArrayView<Float4>> AddF { get; }
    public Action<AcceleratorStream, Index1D, ArrayView<Float4>, ArrayView<Float4>, ArrayView<Float4>, float> TriadF { get; }
    public Action<AcceleratorStream, Index1D, ArrayView<Float4>, ArrayView<Float4>, ArrayView<Float4>, float> NstreamF { get; }
    public Action<AcceleratorStream, Index1D, ArrayView<Float4>, float> WriteF { get; }
    public Action<AcceleratorStream, KernelConfig, ArrayView<Float4>, ArrayView<Float4>, ArrayView<float>> DotF { get; }
    public Action<AcceleratorStream, KernelConfig, ArrayView<Float4>, ArrayView<float>> ReadF { get; }
    public Action<AcceleratorStream, Index1D, ArrayView<Double2>, ArrayView<Double2>> CopyD { get; }
    public Action<AcceleratorStream, Index1D, ArrayView<Double2>, ArrayView<Double2>, double> MulD { get; }
    public Action<AcceleratorStream, Index1D, ArrayView<Double2>, ArrayView<Double2>, ArrayView<Double2>> AddD { get; }
    public Action<AcceleratorStream, Index1D, ArrayView<Double2>, ArrayView<Double2>, ArrayView<Double2>, double> TriadD { get; }
    public Action<AcceleratorStream, Index1D, ArrayView<Double2>, ArrayView<Double2>, ArrayView<Double2>, double> NstreamD { get; }
    public Action<AcceleratorStream, Index1D, ArrayView<Double2>, double> WriteD { get; }
    public Action<AcceleratorStream, KernelConfig, ArrayView<Double2>, ArrayView<Double2>, ArrayView<double>> DotD { get; }
    public Action<AcceleratorStream, KernelConfig, ArrayView<Double2>, ArrayView<double>> ReadD { get; }
}
