using Micro.Core.Results;
using Micro.Devices.Cuda;
using Micro.Suites.Running;

namespace Micro.Suites.Attention.Native;

/// <summary>GQA decode with kernels/attention/decode.cu (NVRTC): 16-bit Q/K/V/O, split-K + combine, CUDA-event timing.</summary>
public sealed class NativeDecodeOperation(GpuSession session, DecodeShape shape, SplitPlan split, ulong seed, int maxCheckedRows, Action<string>? note = null) : IMeasuredOperation
{
    public static readonly int[] HeadDims = [64, 128];
    private static readonly HashSet<string> Entries =
    [
        "attn_decode_d128_g1_bf16", "attn_decode_d128_g2_bf16", "attn_decode_d128_g4_bf16", "attn_decode_d128_g8_bf16",
        "attn_decode_d64_g4_bf16", "attn_decode_d64_g8_bf16", "attn_decode_d128_g4_fp16", "attn_decode_d128_g8_fp16", "attn_decode_d64_g8_fp16",
    ];

    private HostTensor _q = null!, _k = null!, _v = null!;
    private int[] _table = [];
    private DeviceMemory? _dq, _dk, _dv, _dt, _do, _part, _lse;
    private CudaStream? _stream;
    private EventTimer? _timer;
    private CudaFunction? _decode, _combine;
    private KernelArgs? _args, _cargs;

    public string Timer => "device-events";

    public static string EntryName(DecodeShape s) => $"attn_decode_d{s.HeadDim}_g{s.Group}_{NativeBuffers.Suffix(s.KvType)}";

    public static string? Unsupported(DecodeShape s) =>
        s.KvType == KvDType.Fp32 ? "native decode takes bf16/fp16"
        : !Entries.Contains(EntryName(s)) ? $"no native decode kernel for head dim {s.HeadDim}, GQA group {s.Group}, {KvDTypes.Name(s.KvType)}"
        : null;

    public void Prepare()
    {
        shape.Validate();
        if (Unsupported(shape) is { } why) throw new ArgumentException(why);
        var ctx = session.Context;
        ctx.Bind();
        long rows = (long)shape.Batch * shape.HeadsQ;
        _q = HostTensor.Random(shape.KvType, rows * shape.HeadDim, seed);
        _k = HostTensor.Random(shape.KvType, shape.KvElements, seed + 1);
        _v = HostTensor.Random(shape.KvType, shape.KvElements, seed + 2);
        _table = BlockTables.Build(shape.Batch, shape.BlocksPerSequence, shape.Layout, seed + 3);
        _dq = NativeBuffers.Upload(ctx, _q);
        _dk = NativeBuffers.Upload(ctx, _k);
        _dv = NativeBuffers.Upload(ctx, _v);
        _dt = NativeBuffers.Upload(ctx, _table);
        _do = ctx.Allocate(rows * shape.HeadDim * 2);
        _part = ctx.Allocate(split.Splits > 1 ? rows * split.Splits * shape.HeadDim * 4 : 4);
        _lse = ctx.Allocate(split.Splits > 1 ? rows * split.Splits * 4 : 4);
        _stream = ctx.CreateStream();
        _timer = new EventTimer(ctx, _stream);
        NativeBuffers.Poison(_do, shape.KvType, _stream);
        var module = session.Module("attention/decode.cu", note);
        _decode = module.Function(EntryName(shape));
        _combine = module.Function("attn_decode_combine_" + NativeBuffers.Suffix(shape.KvType));
        _args = new KernelArgs(14).Pointer(_dq).Pointer(_dk).Pointer(_dv).Pointer(_dt).Pointer(_do).Pointer(_part).Pointer(_lse)
            .I32(shape.HeadsKv).I32(shape.Context).I32(shape.EffectiveBlockSize).I32(shape.BlocksPerSequence)
            .I32(split.Splits).I32(split.SplitLen).F32((float)(1.0 / Math.Sqrt(shape.HeadDim) * 1.4426950408889634));
        _cargs = new KernelArgs(6).Pointer(_part).Pointer(_lse).Pointer(_do).U64((ulong)rows).I32(shape.HeadDim).I32(split.Splits);
    }

    public double RunTimed()
    {
        session.Context.Bind();
        _timer!.Start();
        _decode!.Launch((uint)(shape.Batch * shape.HeadsKv * split.Splits), 128, _stream!, _args!);
        if (split.Splits > 1)
        {
            long n = (long)shape.Batch * shape.HeadsQ * shape.HeadDim;
            _combine!.Launch((uint)((n + 255) / 256), 256, _stream!, _cargs!);
        }
        return _timer.Stop();
    }

    public Verification Verify()
    {
        session.Context.Bind();
        _stream!.Synchronize();
        long rows = (long)shape.Batch * shape.HeadsQ;
        var o = NativeBuffers.Download16(_do!, rows * shape.HeadDim);
        return OutputCheck.Run(i => KvDTypes.Decode(o[i], shape.KvType), rows, shape.HeadDim, KvDTypes.Tolerance(shape.KvType),
            row => AttentionReference.DecodeRow(shape, _q, _k, _v, _table, (int)(row / shape.HeadsQ), (int)(row % shape.HeadsQ)),
            maxCheckedRows, seed, "decode");
    }

    public void Dispose()
    {
        _args?.Dispose(); _cargs?.Dispose(); _timer?.Dispose(); _stream?.Dispose();
        _dq?.Dispose(); _dk?.Dispose(); _dv?.Dispose(); _dt?.Dispose(); _do?.Dispose(); _part?.Dispose(); _lse?.Dispose();
    }
}
