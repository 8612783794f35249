namespace Micro.Devices.Cuda;

/// <summary>A pair of CUDA events on one stream: Start, enqueue work, Stop returns the device-measured seconds.</summary>
public sealed class EventTimer : IDisposable
{
    private readonly CudaEvent _start;
    private readonly CudaEvent _stop;
    private readonly CudaStream _stream;

    public EventTimer(CudaContext ctx, CudaStream stream)
    {
        _stream = stream;
        _start = ctx.CreateEvent();
        _stop = ctx.CreateEvent();
    }

    public CudaEvent StartEvent => _start;

    public void Start() => _start.Record(_stream);

    public double Stop()
    {
        _stop.Record(_stream);
        _stop.Synchronize();
        return _stop.SecondsSince(_start);
    }

    public void Dispose()
    {
        _start.Dispose();
        _stop.Dispose();
    }
}
