using Micro.Core.Results;
using Micro.Devices.Cuda;
using Micro.Suites.Running;

namespace Micro.Suites.Attention.Native;

/// <summary>Prefill with kernels/attention/prefill.cu (NVRTC, mma.sync tensor cores): 16-bit Q/K/V/O, D = 128, L % 64 == 0.</summary>
public sealed class NativePrefillOperation(GpuSession session, PrefillShape shape, ulong seed, int maxCheckedRows, Action<string>? note = null) : IMeasuredOperation
{
    private HostTensor _q = null!, _k = null!, _v = null!;
    private DeviceMemory? _dq, _dk, _dv, _do;
    private CudaStream? _stream;
    private EventTimer? _timer;
    private CudaFunction? _kernel;
    private KernelArgs? _args;

    /// <summary>PF_BQ and PF_THREADS of prefill.cu: 4 warps of 16 query rows per block.</summary>
    public const int QueryRowsPerBlock = 64;
    public const int ThreadsPerBlock = 128;

    public string Timer => "device-events";

    /// <summary>Blocks of the launch: one per (64 query rows, query head, sequence).</summary>
    public static long GridBlocks(PrefillShape s) => (long)s.Batch * s.HeadsQ * (s.SeqLen / QueryRowsPerBlock);

    public static string? Unsupported(PrefillShape s) =>
        s.DType == KvDType.Fp32 ? "native prefill takes bf16/fp16"
        : s.HeadDim != 128 ? $"native prefill is written for head dim 128, not {s.HeadDim}"
        : s.SeqLen % QueryRowsPerBlock != 0 ? $"native prefill needs the length to be a multiple of {QueryRowsPerBlock}, not {s.SeqLen}"
        : null;

    public void Prepare()
    {
        shape.Validate();
        if (Unsupported(shape) is { } why) throw new ArgumentException(why);
        var ctx = session.Context;
        ctx.Bind();
        long qElems = (long)shape.Batch * shape.SeqLen * shape.HeadsQ * shape.HeadDim;
        long kvElems = (long)shape.Batch * shape.SeqLen * shape.HeadsKv * shape.HeadDim;
        _q = HostTensor.Random(shape.DType, qElems, seed);
        _k = HostTensor.Random(shape.DType, kvElems, seed + 1);
        _v = HostTensor.Random(shape.DType, kvElems, seed + 2);
        _dq = NativeBuffers.Upload(ctx, _q);
        _dk = NativeBuffers.Upload(ctx, _k);
        _dv = NativeBuffers.Upload(ctx, _v);
        _do = ctx.Allocate(qElems * 2);
        _stream = ctx.CreateStream();
        _timer = new EventTimer(ctx, _stream);
        NativeBuffers.Poison(_do, shape.DType, _stream);
        _kernel = session.Module("attention/prefill.cu", note).Function("attn_prefill_d128_" + NativeBuffers.Suffix(shape.DType));
        _args = new KernelArgs(9).Pointer(_dq).Pointer(_dk).Pointer(_dv).Pointer(_do)
            .I32(shape.SeqLen).I32(shape.HeadsQ).I32(shape.HeadsKv).I32(shape.Causal ? 1 : 0)
            .F32((float)(1.0 / Math.Sqrt(shape.HeadDim) * 1.4426950408889634));
    }

    public double RunTimed()
    {
        session.Context.Bind();
        _timer!.Start();
        _kernel!.Launch((uint)GridBlocks(shape), ThreadsPerBlock, _stream!, _args!);
        return _timer.Stop();
    }

    public Verification Verify()
    {
        session.Context.Bind();
        _stream!.Synchronize();
        long rows = (long)shape.Batch * shape.SeqLen * shape.HeadsQ;
        var o = NativeBuffers.Download16(_do!, rows * shape.HeadDim);
        return OutputCheck.Run(i => KvDTypes.Decode(o[i], shape.DType), rows, shape.HeadDim, KvDTypes.Tolerance(shape.DType),
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
        _args?.Dispose(); _timer?.Dispose(); _stream?.Dispose();
        _dq?.Dispose(); _dk?.Dispose(); _dv?.Dispose(); _do?.Dispose();
    }
}
