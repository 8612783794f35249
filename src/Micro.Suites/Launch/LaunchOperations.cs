using System.Diagnostics;
using Micro.Core.Results;
using Micro.Devices.Cuda;
using Micro.Suites.Running;

namespace Micro.Suites.Launch;

/// <summary>How launches are issued in one timed iteration.</summary>
public enum LaunchMode
{
    /// <summary>N cuLaunchKernel calls back to back on one stream between two events: time per launch.</summary>
    StreamBackToBack,
    /// <summary>One cuLaunchKernel then cuStreamSynchronize, host clock: the round trip a synchronous caller sees.</summary>
    SyncRoundTrip,
    /// <summary>N launches captured once into a CUDA graph; one cuGraphLaunch per iteration: time per launch.</summary>
    GraphReplay,
}

/// <summary>
/// Launch overhead of the one-thread `micro_tick` kernel (it adds 1 to a counter, so every launch is verified to have
/// run) or the truly empty `micro_empty` kernel (nothing to verify). The reported time is per launch.
/// </summary>
public sealed class LaunchOperation(GpuSession session, LaunchMode mode, bool tick, int launchesPerIteration) : IMeasuredOperation
{
    private readonly CudaContext _ctx = session.Context;
    private CudaStream? _stream;
    private EventTimer? _timer;
    private CudaFunction? _kernel;
    private KernelArgs? _args;
    private DeviceMemory? _counter;
    private CudaGraphExec? _graph;
    private long _launched;

    private int PerIteration => mode == LaunchMode.SyncRoundTrip ? 1 : launchesPerIteration;
    public string Timer => mode == LaunchMode.SyncRoundTrip ? "host-clock" : "device-events";

    public void Prepare()
    {
        _ctx.Bind();
        _stream = _ctx.CreateStream();
        _timer = new EventTimer(_ctx, _stream);
        var module = session.Module("launch.cu");
        _kernel = module.Function(tick ? "micro_tick" : "micro_empty");
        _args = new KernelArgs();
        if (tick)
        {
            _counter = _ctx.Allocate(4);
            CudaCopy.Fill32Async(_counter, 0, _stream);
            _args.Pointer(_counter);
        }
        if (mode == LaunchMode.GraphReplay)
            _graph = CudaGraphCapture.Capture(_ctx, _stream, () =>
            {
                for (var i = 0; i < launchesPerIteration; i++) _kernel.Launch(1, 32, _stream, _args);
            });
        _stream.Synchronize();
    }

    public double RunTimed()
    {
        _ctx.Bind();
        _launched += PerIteration;
        switch (mode)
        {
            case LaunchMode.SyncRoundTrip:
                var sw = Stopwatch.StartNew();
                _kernel!.Launch(1, 32, _stream!, _args!);
                _stream!.Synchronize();
                return sw.Elapsed.TotalSeconds;
            case LaunchMode.GraphReplay:
                _timer!.Start();
                _graph!.Launch(_stream!);
                return _timer.Stop() / launchesPerIteration;
            default:
                _timer!.Start();
                for (var i = 0; i < launchesPerIteration; i++) _kernel!.Launch(1, 32, _stream!, _args!);
                return _timer.Stop() / launchesPerIteration;
        }
    }

    public Verification Verify()
    {
        _ctx.Bind();
        _stream!.Synchronize();
        if (!tick) return Verification.NotApplicable("the empty kernel writes nothing; the micro_tick cases verify that every launch ran");
        var got = new uint[1];
        CudaCopy.DeviceToHost<uint>(got, _counter!);
        const string method = "launch counter incremented by each micro_tick launch equals launches issued (warm-up + timed)";
        return got[0] == (uint)_launched ? Verification.Ok(1, 0, method) : Verification.Failed(1, 1, Math.Abs((double)got[0] - _launched), method);
    }

    public void Dispose()
    {
        _graph?.Dispose();
        _args?.Dispose();
        _counter?.Dispose();
        _timer?.Dispose();
        _stream?.Dispose();
    }
}

/// <summary>
/// Latency of small pinned copies (4 B .. 64 KiB): N back-to-back cuMemcpyAsync between events, time per copy;
/// the last copy's data is checked.
/// </summary>
public sealed class SmallCopyOperation(GpuSession session, bool hostToDevice, int bytes, int copiesPerIteration) : IMeasuredOperation
{
    private const uint Seed = 0x5eed0003;
    private readonly CudaContext _ctx = session.Context;
    private CudaStream? _stream;
    private EventTimer? _timer;
    private PinnedHostMemory? _host;
    private DeviceMemory? _dev;

    public string Timer => "device-events";

    public void Prepare()
    {
        _ctx.Bind();
        _stream = _ctx.CreateStream();
        _timer = new EventTimer(_ctx, _stream);
        var words = Math.Max(1, bytes / 4);
        _host = _ctx.AllocatePinned(words * 4L);
        _dev = _ctx.Allocate(words * 4L);
        if (hostToDevice)
        {
            Link.HostPattern.Fill(_host.AsSpan<uint>(), Seed);
            CudaCopy.Fill32Async(_dev, 0, _stream);
        }
        else
        {
            var src = new uint[words];
            Link.HostPattern.Fill(src, Seed);
            CudaCopy.HostToDevice<uint>(_dev, src);
            _host.AsSpan<uint>().Clear();
        }
        _stream.Synchronize();
    }

    public double RunTimed()
    {
        _ctx.Bind();
        _timer!.Start();
        for (var i = 0; i < copiesPerIteration; i++)
        {
            if (hostToDevice) CudaCopy.HostToDeviceAsync(_dev!.Pointer, _host!.Host, bytes, _stream!);
            else CudaCopy.DeviceToHostAsync(_host!.Host, _dev!.Pointer, bytes, _stream!);
        }
        return _timer.Stop() / copiesPerIteration;
    }

    public Verification Verify()
    {
        _ctx.Bind();
        _stream!.Synchronize();
        var words = new uint[Math.Max(1, bytes / 4)];
        if (hostToDevice) CudaCopy.DeviceToHost<uint>(words, _dev!);
        else _host!.AsSpan<uint>().CopyTo(words);
        var wrong = Link.HostPattern.CountWrong(words, Seed);
        const string method = "destination words against the seeded source pattern (destination zeroed first)";
        return wrong == 0 ? Verification.Ok(words.Length, 0, method) : Verification.Failed(words.Length, wrong, 1, method);
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _host?.Dispose();
        _dev?.Dispose();
        _stream?.Dispose();
    }
}
