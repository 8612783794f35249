using System.Globalization;
using Micro.Devices.Cuda;

namespace Micro.Suites.Memory.Backends;

/// <summary>Kernel table entry -> its extern "C" base name in kernels/stream.cu (variants add _i{items}).</summary>
public static class NativeStreamKernels
{
    public static string BaseName(StreamKernel k) => k switch
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
    private readonly DeviceMemory _a, _b, _c;
    private readonly CudaStream _stream;
    private readonly EventTimer _timer;
    private readonly Dictionary<(StreamKernel, NativeStreamConfig), (CudaFunction Function, uint Grid)?> _launches = [];
    private DeviceMemory _partial;
    private uint _partialBlocks;

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
        _partialBlocks = 1;
        _partial = _ctx.Allocate(4);
    }

    public long Elements { get; }
    public StreamDType DType => StreamDType.Float;
    public double LastSum { get; private set; }

    /// <summary>
    /// The function and grid of one kernel under one config at this length; null when the compiled variant cannot
    /// launch that many threads per block (registers) or no block of it fits on an SM.
    /// </summary>
    public (CudaFunction Function, uint Grid)? Launch(StreamKernel kernel, NativeStreamConfig config)
    {
        if (_launches.TryGetValue((kernel, config), out var known)) return known;
        var f = _backend.Module.Function(config.FunctionName(kernel));
        (CudaFunction, uint)? launch = null;
        if (f.Attribute(CuConst.FuncAttributeMaxThreadsPerBlock) >= config.Block)
        {
            var perSm = config.Policy == NativeGridPolicy.Occupancy ? f.MaxActiveBlocksPerSm((int)config.Block) : 1;
            if (perSm > 0) launch = (f, config.Blocks(Elements, _backend.Session.Info.ComputeUnits ?? 1, perSm));
        }
        _launches[(kernel, config)] = launch;
        return launch;
    }

    /// <summary>This run's parameters for a kernel's points: the config it runs with and how it was chosen.</summary>
    public IReadOnlyDictionary<string, string>? ParametersOf(StreamKernel kernel)
    {
        var choice = _backend.ConfigFor(kernel);
        var grid = Launch(kernel, choice.Config)?.Grid;
        var p = new Dictionary<string, string>
        {
            ["native_config"] = choice.Config.ToString(),
            ["block"] = choice.Config.Block.ToString(CultureInfo.InvariantCulture),
            ["items_per_thread"] = choice.Config.Items.ToString(CultureInfo.InvariantCulture),
            ["grid_policy"] = choice.Config.Policy.ToString().ToLowerInvariant(),
            ["stores"] = !NativeStreamConfig.StoresArrays(kernel) ? "no array stores (one partial per block)"
                : choice.Config.Stores == NativeStores.Streaming ? "st.global.cs.v4 (evict-first)" : "st.global.v4",
            ["grid_rule"] = choice.Config.DescribeGrid(),
            ["config_source"] = choice.Source,
        };
        if (grid is { } g) p["grid"] = g.ToString(CultureInfo.InvariantCulture);
        if (choice.Tuning is { } t) p["tuning_gbps"] = t;
        return p;
    }

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

    public double Run(StreamKernel kernel, double scalar) => Run(kernel, _backend.ConfigFor(kernel).Config, scalar, readSum: true);

    /// <summary>One timed launch under <paramref name="config"/>; the tuning pass skips reading the partial sums back.</summary>
    public double Run(StreamKernel kernel, NativeStreamConfig config, double scalar, bool readSum)
    {
        _ctx.Bind();
        var (f, grid) = Launch(kernel, config) ?? throw new InvalidOperationException($"{config.FunctionName(kernel)} cannot launch {config}");
        if (kernel is (StreamKernel.Dot or StreamKernel.Read) && grid > _partialBlocks)
        {
            _partial.Dispose();
            _partial = _ctx.Allocate(grid * 4L);
            _partialBlocks = grid;
        }
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
        f.Launch(grid, config.Block, _stream, args);
        var t = _timer.Stop();
        if (readSum && kernel is (StreamKernel.Dot or StreamKernel.Read))
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
