using Micro.Devices.Cuda;

namespace Micro.Suites.Memory.Backends;

/// <summary>Kernel table entry -> its extern "C" name in kernels/stream.cu.</summary>
public static class NativeStreamKernels
{
    public static string FunctionName(StreamKernel k) => k switch
    {
        StreamKernel.Copy => "micro_stream_copy",
        StreamKernel.Mul => "micro_stream_mul",
        StreamKernel.Add => "micro_stream_add",
        StreamKernel.Triad => "micro_stream_triad",
        StreamKernel.Dot => "micro_stream_dot",
        StreamKernel.Nstream => "micro_stream_nstream",
        StreamKernel.Read => "micro_stream_read",
        _ => "micro_stream_write",
    };
}

/// <summary>Three device arrays of float for the native kernels, one CUDA stream, an event pair, and the partial-sum buffer.</summary>
internal sealed class NativeStreamArrays : IStreamArrays
{
    private readonly NativeStreamBackend _backend;
    private readonly CudaContext _ctx;
    private readonly DeviceMemory _a, _b, _c, _partial;
    private readonly CudaStream _stream;
    private readonly EventTimer _timer;
    private readonly Dictionary<StreamKernel, (CudaFunction Function, uint Grid)> _kernels = [];

    public NativeStreamArrays(NativeStreamBackend backend, long elements)
    {
        _backend = backend;
        _ctx = backend.Session.Context;
        Elements = elements;
        _ctx.Bind();
        _stream = _ctx.CreateStream();
        _timer = new EventTimer(_ctx, _stream);
        _a = _ctx.Allocate(elements * 4);
        _b = _ctx.Allocate(elements * 4);
        _c = _ctx.Allocate(elements * 4);
        var sms = backend.Session.Info.ComputeUnits ?? 1;
        foreach (var k in Enum.GetValues<StreamKernel>())
        {
            var f = backend.Module.Function(NativeStreamKernels.FunctionName(k));
            var perSm = backend.Policy == NativeGridPolicy.Occupancy ? f.MaxActiveBlocksPerSm((int)NativeStreamGrid.Block) : 1;
            _kernels[k] = (f, NativeStreamGrid.Blocks(backend.Policy, elements, sms, perSm));
        }
        _partial = _ctx.Allocate(_kernels.Values.Max(v => v.Grid) * 4L);
    }

    public long Elements { get; }
    public StreamDType DType => StreamDType.Float;
    public double LastSum { get; private set; }
    /// <summary>Grid size per kernel (blocks), for the record.</summary>
    public uint GridOf(StreamKernel k) => _kernels[k].Grid;

    public void Initialize(StreamValues start)
    {
        _ctx.Bind();
        // cuMemsetD32 with a float's bit pattern fills the array with that float.
        Fill(_a, (float)start.A);
        Fill(_b, (float)start.B);
        Fill(_c, (float)start.C);
        _stream.Synchronize();
    }

    private void Fill(DeviceMemory d, float value) => CudaCopy.Fill32Async(d, BitConverter.SingleToUInt32Bits(value), _stream);

    public double Run(StreamKernel kernel, double scalar)
    {
        _ctx.Bind();
        var (f, grid) = _kernels[kernel];
        var n4 = (ulong)(Elements / 4);
        var s = (float)scalar;
        using var args = new KernelArgs();
        switch (kernel)
        {
            case StreamKernel.Copy: args.Pointer(_a).Pointer(_c).U64(n4); break;
            case StreamKernel.Mul: args.Pointer(_b).Pointer(_c).F32(s).U64(n4); break;
            case StreamKernel.Add: args.Pointer(_a).Pointer(_b).Pointer(_c).U64(n4); break;
            case StreamKernel.Triad: args.Pointer(_a).Pointer(_b).Pointer(_c).F32(s).U64(n4); break;
            case StreamKernel.Nstream: args.Pointer(_a).Pointer(_b).Pointer(_c).F32(s).U64(n4); break;
            case StreamKernel.Dot: args.Pointer(_a).Pointer(_b).Pointer(_partial).U64(n4); break;
            case StreamKernel.Read: args.Pointer(_a).Pointer(_partial).U64(n4); break;
            case StreamKernel.Write: args.Pointer(_c).F32(s).U64(n4); break;
        }
        _timer.Start();
        f.Launch(grid, NativeStreamGrid.Block, _stream, args);
        var t = _timer.Stop();
        if (kernel is StreamKernel.Dot or StreamKernel.Read)
        {
            var partials = new float[grid];
            CudaCopy.DeviceToHost<float>(partials, _partial);
            double sum = 0;
            foreach (var p in partials) sum += p;
            LastSum = sum;
        }
        return t;
    }

    public void CopyOut(StreamArray array, long offset, Span<double> dest)
    {
        _ctx.Bind();
        _stream.Synchronize();
        var src = array switch { StreamArray.A => _a, StreamArray.B => _b, _ => _c };
        var host = new float[dest.Length];
        unsafe
        {
            fixed (float* p = host)
                Cu.Check(CudaApiShim.DtoH(p, src.Pointer + (ulong)(offset * 4), dest.Length * 4L), "cuMemcpyDtoH_v2");
        }
        for (var i = 0; i < host.Length; i++) dest[i] = host[i];
    }

    public void Dispose()
    {
        _timer.Dispose();
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
        _partial.Dispose();
        _stream.Dispose();
    }
}
