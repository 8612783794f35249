using ILGPU;
using ILGPU.Runtime;
using Micro.Core.Results;
using Micro.Suites.Running;

namespace Micro.Suites.Attention.Ilgpu;

/// <summary>GQA decode (contiguous or paged KV, split-K) on an ILGPU accelerator; Q and O are fp32.</summary>
public sealed class IlgpuDecodeOperation(IlgpuHost host, DecodeShape shape, SplitPlan split, ulong seed, int maxCheckedRows) : IMeasuredOperation
{
    private HostTensor _q = null!, _k = null!, _v = null!;
    private int[] _table = [];
    private DeviceTensor? _dk, _dv;
    private MemoryBuffer1D<float, Stride1D.Dense>? _dq, _do, _part, _lse;
    private MemoryBuffer1D<int, Stride1D.Dense>? _dt;
    private Action<KernelConfig, DecodeArgs, ArrayView<float>, ArrayView<float>, ArrayView<ushort>, ArrayView<float>, ArrayView<ushort>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _decode;
    private Action<AcceleratorStream, Index1D, CombineArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _combine;
    private DecodeArgs _args;

    public string Timer => host.Timer;

    public void Prepare()
    {
        shape.Validate();
        host.Bind();
        if (shape.HeadDim is not (32 or 64 or 128)) throw new ArgumentException($"the ILGPU decode kernel supports head dim 32, 64 or 128, not {shape.HeadDim}");
        if (shape.Group > DecodeKernels.MaxWarps) throw new ArgumentException($"the ILGPU decode kernel supports GQA groups up to {DecodeKernels.MaxWarps} query heads per KV head, not {shape.Group}");
        var acc = host.Accelerator;
        long rowsQ = (long)shape.Batch * shape.HeadsQ;
        _q = HostTensor.Random(KvDType.Fp32, rowsQ * shape.HeadDim, seed);
        _k = HostTensor.Random(shape.KvType, shape.KvElements, seed + 1);
        _v = HostTensor.Random(shape.KvType, shape.KvElements, seed + 2);
        _table = BlockTables.Build(shape.Batch, shape.BlocksPerSequence, shape.Layout, seed + 3);
        _dq = acc.Allocate1D(_q.F!);
        _dk = new DeviceTensor(acc, _k);
        _dv = new DeviceTensor(acc, _v);
        _dt = acc.Allocate1D(_table);
        _do = acc.Allocate1D<float>(rowsQ * shape.HeadDim);
        _do.CopyFromCPU(Enumerable.Repeat(float.NaN, (int)_do.Length).ToArray());
        _part = acc.Allocate1D<float>(split.Splits > 1 ? rowsQ * split.Splits * shape.HeadDim : 1);
        _lse = acc.Allocate1D<float>(split.Splits > 1 ? rowsQ * split.Splits : 1);
        _args = new DecodeArgs
        {
            HeadsQ = shape.HeadsQ, HeadsKv = shape.HeadsKv, HeadDim = shape.HeadDim, Context = shape.Context,
            BlockSize = shape.EffectiveBlockSize, BlocksPerSequence = shape.BlocksPerSequence,
            Splits = split.Splits, SplitLen = split.SplitLen, DType = (int)shape.KvType, Scale = 1f / MathF.Sqrt(shape.HeadDim),
        };
        _decode = acc.LoadStreamKernel<DecodeArgs, ArrayView<float>, ArrayView<float>, ArrayView<ushort>, ArrayView<float>, ArrayView<ushort>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(DecodeKernels.Decode);
        _combine = acc.LoadAutoGroupedKernel<Index1D, CombineArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>>(DecodeKernels.Combine);
    }

    public double RunTimed() => host.Time(Launch);

    private void Launch()
    {
        var groups = shape.Batch * shape.HeadsKv * split.Splits;
        _decode!(new KernelConfig(groups, shape.Group * 32), _args, _dq!.View, _dk!.F, _dk.H, _dv!.F, _dv.H, _dt!.View, _part!.View, _lse!.View, _do!.View);
        if (split.Splits > 1)
            _combine!(host.Accelerator.DefaultStream, (int)_do.Length, new CombineArgs { Splits = split.Splits, Width = shape.HeadDim }, _part.View, _lse.View, _do.View);
    }

    public Verification Verify()
    {
        host.Bind();
        host.Accelerator.Synchronize();
        var o = _do!.GetAsArray1D();
        return OutputCheck.Run(i => o[i], (long)shape.Batch * shape.HeadsQ, shape.HeadDim, KvDTypes.Tolerance(shape.KvType),
            row => AttentionReference.DecodeRow(shape, _q, _k, _v, _table, (int)(row / shape.HeadsQ), (int)(row % shape.HeadsQ)),
            maxCheckedRows, seed, "decode");
    }

    public void Dispose()
    {
        _dq?.Dispose(); _dk?.Dispose(); _dv?.Dispose(); _dt?.Dispose(); _do?.Dispose(); _part?.Dispose(); _lse?.Dispose();
    }
}
