using ILGPU;
using ILGPU.Runtime;
using Micro.Core.Results;
using Micro.Suites.Running;

namespace Micro.Suites.Attention.Ilgpu;

/// <summary>MLA decode (absorbed queries, latent cache) on an ILGPU accelerator; Q and O are fp32.</summary>
public sealed class IlgpuMlaOperation(IlgpuHost host, MlaDecodeShape shape, SplitPlan split, ulong seed, int maxCheckedRows) : IMeasuredOperation
{
    private HostTensor _ql = null!, _qr = null!, _c = null!;
    private int[] _table = [];
    private DeviceTensor? _dc;
    private MemoryBuffer1D<float, Stride1D.Dense>? _dql, _dqr, _do, _part, _lse;
    private MemoryBuffer1D<int, Stride1D.Dense>? _dt;
    private Action<KernelConfig, MlaArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<ushort>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _kernel;
    private Action<AcceleratorStream, Index1D, CombineArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _combine;
    private MlaArgs _args;

    public string Timer => host.Timer;

    public void Prepare()
    {
        shape.Validate();
        host.Bind();
        if (shape.LatentRank % 128 != 0 || shape.LatentRank > 32 * MlaKernels.MaxLatentPerLane)
            throw new ArgumentException($"the ILGPU MLA kernel needs kv_lora_rank a multiple of 128 up to {32 * MlaKernels.MaxLatentPerLane}, not {shape.LatentRank}");
        if (shape.RopeDim > 64 || shape.RopeDim % 8 != 0) throw new ArgumentException($"the ILGPU MLA kernel supports rope dims up to 64 in steps of 8, not {shape.RopeDim}");
        var acc = host.Accelerator;
        long rows = (long)shape.Batch * shape.Heads;
        _ql = HostTensor.Random(KvDType.Fp32, rows * shape.LatentRank, seed);
        _qr = HostTensor.Random(KvDType.Fp32, Math.Max(1, rows * shape.RopeDim), seed + 4);
        _c = HostTensor.Random(shape.KvType, shape.CacheElements, seed + 1);
        _table = BlockTables.Build(shape.Batch, shape.BlocksPerSequence, shape.Layout, seed + 3);
        _dql = acc.Allocate1D(_ql.F!);
        _dqr = acc.Allocate1D(_qr.F!);
        _dc = new DeviceTensor(acc, _c);
        _dt = acc.Allocate1D(_table);
        _do = acc.Allocate1D<float>(rows * shape.LatentRank);
        _do.CopyFromCPU(Enumerable.Repeat(float.NaN, (int)_do.Length).ToArray());
        _part = acc.Allocate1D<float>(split.Splits > 1 ? rows * split.Splits * shape.LatentRank : 1);
        _lse = acc.Allocate1D<float>(split.Splits > 1 ? rows * split.Splits : 1);
        _args = new MlaArgs
        {
            Heads = shape.Heads, LatentRank = shape.LatentRank, RopeDim = shape.RopeDim, Context = shape.Context,
            BlockSize = shape.EffectiveBlockSize, BlocksPerSequence = shape.BlocksPerSequence, Splits = split.Splits,
            SplitLen = split.SplitLen, DType = (int)shape.KvType, Scale = (float)shape.SoftmaxScale,
            HeadBlocks = (shape.Heads + MlaKernels.WarpsPerGroup - 1) / MlaKernels.WarpsPerGroup,
        };
        _kernel = acc.LoadStreamKernel<MlaArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<ushort>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(MlaKernels.Decode);
        _combine = acc.LoadAutoGroupedKernel<Index1D, CombineArgs, ArrayView<float>, ArrayView<float>, ArrayView<float>>(DecodeKernels.Combine);
    }

    public double RunTimed() => host.Time(Launch);

    private void Launch()
    {
        var groups = shape.Batch * _args.HeadBlocks * split.Splits;
        _kernel!(new KernelConfig(groups, MlaKernels.WarpsPerGroup * 32), _args, _dql!.View, _dqr!.View, _dc!.F, _dc.H, _dt!.View, _part!.View, _lse!.View, _do!.View);
        if (split.Splits > 1)
            _combine!(host.Accelerator.DefaultStream, (int)_do.Length, new CombineArgs { Splits = split.Splits, Width = shape.LatentRank }, _part.View, _lse.View, _do.View);
    }

    public Verification Verify()
    {
        host.Bind();
        host.Accelerator.Synchronize();
        var o = _do!.GetAsArray1D();
        return OutputCheck.Run(i => o[i], (long)shape.Batch * shape.Heads, shape.LatentRank, KvDTypes.Tolerance(shape.KvType),
            row => AttentionReference.MlaRow(shape, _ql, _qr, _c, _table, (int)(row / shape.Heads), (int)(row % shape.Heads)),
            maxCheckedRows, seed, "mla decode");
    }

    public void Dispose()
    {
        _dql?.Dispose(); _dqr?.Dispose(); _dc?.Dispose(); _dt?.Dispose(); _do?.Dispose(); _part?.Dispose(); _lse?.Dispose();
    }
}
