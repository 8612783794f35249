using ILGPU;
using ILGPU.Runtime;

namespace Micro.Suites.Attention.Ilgpu;

/// <summary>A KV-type tensor on the device: an fp32 buffer or a 16-bit one; the other view is a 1-element placeholder.</summary>
internal sealed class DeviceTensor : IDisposable
{
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _f;
    private readonly MemoryBuffer1D<ushort, Stride1D.Dense> _h;

    public DeviceTensor(Accelerator acc, HostTensor host)
    {
        _f = acc.Allocate1D<float>(host.F is null ? 1 : host.Length);
        _h = acc.Allocate1D<ushort>(host.H is null ? 4 : host.Length);
        if (host.F is not null) _f.CopyFromCPU(host.F);
        else _h.CopyFromCPU(host.H!);
    }

    public ArrayView<float> F => _f.View;
    public ArrayView<ushort> H => _h.View;

    public void Dispose()
    {
        _f.Dispose();
        _h.Dispose();
    }
}
