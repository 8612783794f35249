using ILGPU;
using ILGPU.Runtime;
using Micro.Core.Results;
using Micro.Suites.Running;

namespace Micro.Suites.Attention.Ilgpu;

/// <summary>Prefill attention (causal or not, Lq = Lk) on an ILGPU accelerator; Q and O are fp32, K/V of the shape's type.</summary>
public sealed class IlgpuPrefillOperation(IlgpuHost host, PrefillShape shape, ulong seed, int maxCheckedRows) : IMeasuredOperation
{
    private HostTensor _q = null!, _k = null!, _v = null!;
    private DeviceTensor? _dk, _dv;
    private MemoryBuffer1D<float, Stride1D.Dense>? _dq, _do;
    private Action<KernelConfig, PrefillArgs, ArrayView<float>, ArrayView<float>, ArrayView<ushort>, ArrayView<float>, ArrayView<ushort>, ArrayView<float>>? _kernel;
    private PrefillArgs _args;

    public string Timer => host.Timer;

    public void Prepare()
    {
        shape.Validate();
        host.Bind();
        if (shape.HeadDim is not (32 or 64 or 96 or 128)) throw new ArgumentException($"the ILGPU prefill kernel supports head dim 32..128 in steps of 32, not {shape.HeadDim}");
        var acc = host.Accelerator;
        long qElems = (long)shape.Batch * shape.SeqLen * shape.HeadsQ * shape.HeadDim;
        long kvElems = (long)shape.Batch * shape.SeqLen * shape.HeadsKv * shape.HeadDim;
        _q = HostTensor.Random(KvDType.Fp32, qElems, seed);
        _k = HostTensor.Random(shape.DType, kvElems, seed + 1);
        _v = HostTensor.Random(shape.DType, kvElems, seed + 2);
        _dq = acc.Allocate1D(_q.F!);
        _dk = new DeviceTensor(acc, _k);
        _dv = new DeviceTensor(acc, _v);
        _do = acc.Allocate1D<float>(qElems);
        _do.CopyFromCPU(Enumerable.Repeat(float.NaN, (int)qElems).ToArray());
        _args = new PrefillArgs
        {
            SeqLen = shape.SeqLen, HeadsQ = shape.HeadsQ, HeadsKv = shape.HeadsKv, HeadDim = shape.HeadDim,
            Causal = shape.Causal ? 1 : 0, DType = (int)shape.DType, Scale = 1f / MathF.Sqrt(shape.HeadDim),
            Tiles = (shape.SeqLen + PrefillKernels.RowsPerGroup - 1) / PrefillKernels.RowsPerGroup,
        };
        _kernel = acc.LoadStreamKernel<PrefillArgs, ArrayView<float>, ArrayView<float>, ArrayView<ushort>, ArrayView<float>, ArrayView<ushort>, ArrayView<float>>(PrefillKernels.Prefill);
    }

    public double RunTimed() => host.Time(() =>
        _kernel!(new KernelConfig(shape.Batch * shape.HeadsQ * _args.Tiles, PrefillKernels.RowsPerGroup * 32),
            _args, _dq!.View, _dk!.F, _dk.H, _dv!.F, _dv.H, _do!.View));

    public Verification Verify()
    {
        host.Bind();
        host.Accelerator.Synchronize();
        var o = _do!.GetAsArray1D();
        // Output rows are (b, i, h) in that order, matching O's [B, L, Hq, D] layout.
        return OutputCheck.Run(i => o[i], (long)shape.Batch * shape.SeqLen * shape.HeadsQ, shape.HeadDim, KvDTypes.Tolerance(shape.DType),
            row =>
            {
                var h = (int)(row % shape.HeadsQ);
                var rest = row / shape.HeadsQ;
                return AttentionReference.PrefillRow(shape, _q, _k, _v, (int)(rest / shape.SeqLen), (int)(rest % shape.SeqLen), h);
            },
            maxCheckedRows, seed, shape.Causal ? "causal prefill" : "prefill");
    }

    public void Dispose()
    {
        _dq?.Dispose(); _dk?.Dispose(); _dv?.Dispose(); _do?.Dispose();
    }
}
