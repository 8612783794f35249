using System.Diagnostics;
using System.Runtime.InteropServices;
using Micro.Core.Results;
using Micro.Devices.Cuda;
using Micro.Suites.Running;

namespace Micro.Suites.Link;

/// <summary>
/// One link transfer: copy engine (cuMemcpy*Async) or the SM copy kernel over mapped pinned memory, timed with CUDA
/// events (pageable copies: synchronous cuMemcpy and the host clock, since the driver stages them through the CPU).
/// Sources hold a seeded non-zero pattern, destinations are zeroed first, and the whole destination is checked.
/// </summary>
public sealed unsafe class LinkOperation(GpuSession session, LinkCase c) : IMeasuredOperation
{
    private const uint SeedA = 0x5eed0001, SeedB = 0x5eed0002;
    private readonly CudaContext _ctx = session.Context;
    private CudaStream? _s1, _s2;
    private EventTimer? _timer;
    private CudaEvent? _joined;
    private PinnedHostMemory? _pinned, _pinned2;
    private uint[]? _pageable;
    private DeviceMemory? _devA, _devB;
    private CudaFunction? _copyKernel;
    private KernelArgs? _args;
    private uint _grid;
    private const uint Block = 256;

    private long Words => c.Bytes / 4;
    private bool Pageable => c.Memory == HostMemory.Pageable;

    public string Timer => Pageable ? "host-clock" : "device-events";

    public void Prepare()
    {
        if (c.Bytes % 16 != 0) throw new ArgumentException("link sizes must be multiples of 16 bytes");
        _ctx.Bind();
        _s1 = _ctx.CreateStream();
        _timer = new EventTimer(_ctx, _s1);
        switch (c.Direction)
        {
            case LinkDirection.HostToDevice:
                _devA = _ctx.Allocate(c.Bytes);
                ZeroDevice(_devA);
                if (Pageable) HostPattern.Fill(_pageable = GC.AllocateUninitializedArray<uint>(checked((int)Words), pinned: true), SeedA);
                else HostPattern.Fill((_pinned = _ctx.AllocatePinned(c.Bytes, mapped: c.Engine == CopyEngine.SmKernel)).AsSpan<uint>(), SeedA);
                break;
            case LinkDirection.DeviceToHost:
                _devA = FilledDevice(SeedA);
                if (Pageable) _pageable = GC.AllocateArray<uint>(checked((int)Words), pinned: true);
                else (_pinned = _ctx.AllocatePinned(c.Bytes, mapped: c.Engine == CopyEngine.SmKernel)).AsSpan<uint>().Clear();
                break;
            case LinkDirection.Bidirectional:
                _s2 = _ctx.CreateStream();
                _joined = _ctx.CreateEvent();
                HostPattern.Fill((_pinned = _ctx.AllocatePinned(c.Bytes)).AsSpan<uint>(), SeedA);
                _devA = _ctx.Allocate(c.Bytes);
                ZeroDevice(_devA);
                _devB = FilledDevice(SeedB);
                (_pinned2 = _ctx.AllocatePinned(c.Bytes)).AsSpan<uint>().Clear();
                break;
            case LinkDirection.DeviceToDevice:
                _devA = FilledDevice(SeedA);
                _devB = _ctx.Allocate(c.Bytes);
                ZeroDevice(_devB);
                break;
        }
        if (c.Engine == CopyEngine.SmKernel) PrepareKernel();
    }

    private void PrepareKernel()
    {
        // The same ITEMS=4 copy the memory suite launched before its tuning existed; any grid is correct (grid-stride).
        _copyKernel = session.Module("stream.cu").Function(Memory.Backends.NativeStreamConfig.Default.FunctionName(Memory.StreamKernel.Copy));
        var perSm = Math.Max(1, _copyKernel.MaxActiveBlocksPerSm((int)Block));
        _grid = (uint)((session.Info.ComputeUnits ?? 1) * perSm);
        var (src, dst) = c.Direction switch
        {
            LinkDirection.HostToDevice => (_ctx.DevicePointerOf(_pinned!), _devA!.Pointer),
            LinkDirection.DeviceToHost => (_devA!.Pointer, _ctx.DevicePointerOf(_pinned!)),
            _ => (_devA!.Pointer, _devB!.Pointer),
        };
        _args = new KernelArgs().Pointer(src).Pointer(dst).U64((ulong)(c.Bytes / 16));
    }

    public double RunTimed()
    {
        _ctx.Bind();
        if (Pageable) return RunPageable();
        _timer!.Start();
        Enqueue();
        return _timer.Stop();
    }

    private void Enqueue()
    {
        if (c.Engine == CopyEngine.SmKernel)
        {
            _copyKernel!.Launch(_grid, Block, _s1!, _args!);
            return;
        }
        switch (c.Direction)
        {
            case LinkDirection.HostToDevice: CudaCopy.HostToDeviceAsync(_devA!.Pointer, _pinned!.Host, c.Bytes, _s1!); break;
            case LinkDirection.DeviceToHost: CudaCopy.DeviceToHostAsync(_pinned!.Host, _devA!.Pointer, c.Bytes, _s1!); break;
            case LinkDirection.DeviceToDevice: CudaCopy.DeviceToDeviceAsync(_devB!.Pointer, _devA!.Pointer, c.Bytes, _s1!); break;
            case LinkDirection.Bidirectional:
                // s2 starts when s1's start event fires; s1's stop waits for s2's copy: the interval covers both directions.
                _s2!.WaitEvent(_timer!.StartEvent);
                CudaCopy.HostToDeviceAsync(_devA!.Pointer, _pinned!.Host, c.Bytes, _s1!);
                CudaCopy.DeviceToHostAsync(_pinned2!.Host, _devB!.Pointer, c.Bytes, _s2);
                _joined!.Record(_s2);
                _s1!.WaitEvent(_joined);
                break;
        }
    }

    private double RunPageable()
    {
        var sw = Stopwatch.StartNew();
        fixed (uint* p = _pageable)
        {
            if (c.Direction == LinkDirection.HostToDevice) Cu.Check(CudaApiShim.HtoD(_devA!.Pointer, p, c.Bytes), "cuMemcpyHtoD_v2");
            else Cu.Check(CudaApiShim.DtoH(p, _devA!.Pointer, c.Bytes), "cuMemcpyDtoH_v2");
        }
        return sw.Elapsed.TotalSeconds;
    }

    public Verification Verify()
    {
        _ctx.Bind();
        _ctx.Synchronize();
        long wrong;
        switch (c.Direction)
        {
            case LinkDirection.HostToDevice: wrong = HostPattern.CountWrong(ReadDevice(_devA!), SeedA); break;
            case LinkDirection.DeviceToHost: wrong = HostPattern.CountWrong(Pageable ? _pageable : _pinned!.AsSpan<uint>(), SeedA); break;
            case LinkDirection.DeviceToDevice: wrong = HostPattern.CountWrong(ReadDevice(_devB!), SeedA); break;
            default:
                wrong = HostPattern.CountWrong(ReadDevice(_devA!), SeedA) + HostPattern.CountWrong(_pinned2!.AsSpan<uint>(), SeedB);
                break;
        }
        var checkedWords = c.Direction == LinkDirection.Bidirectional ? 2 * Words : Words;
        const string method = "every 32-bit word of the destination against the seeded source pattern (destination zeroed first)";
        return wrong == 0 ? Verification.Ok(checkedWords, 0, method) : Verification.Failed(checkedWords, wrong, 1, method);
    }

    private void ZeroDevice(DeviceMemory d)
    {
        using var s = _ctx.CreateStream();
        CudaCopy.Fill32Async(d, 0, s);
        s.Synchronize();
    }

    private DeviceMemory FilledDevice(uint seed)
    {
        var d = _ctx.Allocate(c.Bytes);
        var host = GC.AllocateUninitializedArray<uint>(checked((int)Words));
        HostPattern.Fill(host, seed);
        CudaCopy.HostToDevice<uint>(d, host);
        return d;
    }

    private uint[] ReadDevice(DeviceMemory d)
    {
        var host = GC.AllocateUninitializedArray<uint>(checked((int)Words));
        CudaCopy.DeviceToHost<uint>(host, d);
        return host;
    }

    public void Dispose()
    {
        _args?.Dispose();
        _timer?.Dispose();
        _joined?.Dispose();
        _s1?.Dispose();
        _s2?.Dispose();
        _pinned?.Dispose();
        _pinned2?.Dispose();
        _devA?.Dispose();
        _devB?.Dispose();
    }
}
