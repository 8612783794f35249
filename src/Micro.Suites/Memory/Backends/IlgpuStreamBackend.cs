using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Devices.Ilgpu;

namespace Micro.Suites.Memory.Backends;

/// <summary>
/// ILGPU: every CUDA device ILGPU finds, else the CPU accelerator at a fixed small size,
/// labelled "emulator, not a ceiling" (it runs at about 0.01 GB/s and proves correctness only).
/// </summary>
public sealed class IlgpuStreamProvider : IStreamBackendProvider
{
    public const int EmulatorElements = 65536;
    public const int EmulatorElementsQuick = 16384;

    public string Name => "ilgpu";
    public string Description => "ILGPU kernels: CUDA when present, else the CPU accelerator (emulator, small sizes)";

    public StreamBackendSet Open(bool quick)
    {
        Context context;
        try { context = Context.Create(b => b.DefaultCPU().Cuda().EnableAlgorithms().Optimize(OptimizationLevel.O2).Profiling()); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return StreamBackendSet.None($"ILGPU could not start: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
        var shared = new SharedContext(context);
        var cuda = context.Devices.OfType<CudaDevice>().ToArray();
        var backends = new List<IStreamBackend>();
        string? unavailable = null;
        foreach (var d in cuda)
        {
            try { backends.Add(new IlgpuStreamBackend(shared, d, fixedElements: null)); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                unavailable = $"ILGPU CUDA device {d.Name}: {e.GetType().Name}: {e.Message.Split('\n')[0]}";
            }
        }
        if (backends.Count == 0)
        {
            var cpu = context.Devices.OfType<CPUDevice>().FirstOrDefault();
            if (cpu is null) { shared.Release(); return StreamBackendSet.None("ILGPU found neither a CUDA device nor its CPU accelerator"); }
            backends.Add(new IlgpuStreamBackend(shared, cpu, quick ? EmulatorElementsQuick : EmulatorElements));
            unavailable ??= "ILGPU: no CUDA device, running the CPU accelerator (emulator, not a ceiling)";
        }
        shared.Release(); // each backend holds its own reference
        return new StreamBackendSet(backends, unavailable);
    }

    /// <summary>One ILGPU context shared by the backends opened together; disposed with the last of them.</summary>
    internal sealed class SharedContext(Context context)
    {
        private int _refs = 1;
        public Context Context { get; } = context;
        public void AddRef() => Interlocked.Increment(ref _refs);
        public void Release()
        {
            if (Interlocked.Decrement(ref _refs) == 0) Context.Dispose();
        }
    }
}

public sealed class IlgpuStreamBackend : IStreamBackend
{
    private readonly IlgpuStreamProvider.SharedContext _context;
    private readonly Accelerator _accelerator;
    internal readonly IlgpuStreamKernelSet Kernels;

    internal IlgpuStreamBackend(IlgpuStreamProvider.SharedContext context, Device device, long? fixedElements)
    {
        _context = context;
        context.AddRef();
        try
        {
            _accelerator = device.CreateAccelerator(context.Context);
            Kernels = new IlgpuStreamKernelSet(_accelerator);
        }
        catch
        {
            _accelerator?.Dispose();
            context.Release();
            throw;
        }
        var info = IlgpuDevices.Describe(device, 0);
        var emulator = info.Kind == DeviceKind.Emulator;
        Target = new StreamTarget
        {
            Backend = "ilgpu",
            Device = info,
            Timer = emulator ? "host-clock" : "device-events",
            Ceiling = emulator ? null : CeilingNames.MemoryBandwidth,
            Label = emulator ? "emulator, not a ceiling" : null,
            FixedElements = fixedElements,
            Parameters = new Dictionary<string, string>
            {
                ["accelerator"] = _accelerator.AcceleratorType.ToString(),
                ["vector"] = "Float4/Double2 (128-bit)",
                ["reduction"] = "ILGPU.Algorithms group reduce + atomic",
            },
        };
    }

    public StreamTarget Target { get; }
    internal Accelerator Accelerator => _accelerator;
    public bool Supports(StreamDType dtype) => true;

    public IStreamArrays Allocate(StreamDType dtype, long elements)
    {
        if (elements % 4 != 0) throw new ArgumentException("ILGPU stream arrays need a multiple of 4 elements (128-bit vectors)", nameof(elements));
        if (elements > int.MaxValue)
            throw new OutOfMemoryException($"{elements} elements per array is past ILGPU's 32-bit launch index; use a smaller --size");
        var bytes = 3 * elements * dtype.Size();
        if (_accelerator.AcceleratorType != AcceleratorType.CPU && bytes > _accelerator.MemorySize * 0.9)
            throw new OutOfMemoryException($"3 arrays of {elements} {dtype.Id()} need {bytes} bytes, more than 90% of {_accelerator.MemorySize}");
        try
        {
            return dtype == StreamDType.Float
                ? new IlgpuStreamArrays<float>(this, elements, dtype)
                : new IlgpuStreamArrays<double>(this, elements, dtype);
        }
        catch (AcceleratorException e) { throw new OutOfMemoryException($"ILGPU allocation failed: {e.Message}", e); }
    }

    public void Dispose()
    {
        _accelerator.Dispose();
        _context.Release();
    }

    /// <summary>Times one launch: profiling markers (device events) on GPUs, synchronize + Stopwatch on the CPU accelerator.</summary>
    internal double Time(Action<AcceleratorStream> launch)
    {
        var stream = _accelerator.DefaultStream;
        if (_accelerator.AcceleratorType == AcceleratorType.CPU)
        {
            var sw = Stopwatch.StartNew();
            launch(stream);
            stream.Synchronize();
            return sw.Elapsed.TotalSeconds;
        }
        using var start = stream.AddProfilingMarker();
        launch(stream);
        using var end = stream.AddProfilingMarker();
        end.Synchronize();
        return end.MeasureFrom(start).TotalSeconds;
    }
}
