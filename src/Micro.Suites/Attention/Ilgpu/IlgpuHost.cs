using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Micro.Suites.Attention.Ilgpu;

/// <summary>
/// One ILGPU context + accelerator for the attention kernels: "cuda" (ILGPU's CUDA runtime, timed with profiling markers
/// = CUDA events) or "cpu" (the emulator with 32-wide warps like NVIDIA's; correctness only, timed by the host clock).
/// </summary>
public sealed class IlgpuHost : IDisposable
{
    public Context Context { get; }
    public Accelerator Accelerator { get; }
    public bool IsCuda => Accelerator.AcceleratorType == AcceleratorType.Cuda;
    public string Timer => IsCuda ? "device-events" : "host-clock";
    public string DeviceName => IsCuda ? Accelerator.Name : "ILGPU CPU accelerator (emulator)";

    private IlgpuHost(Context context, Accelerator accelerator)
    {
        Context = context;
        Accelerator = accelerator;
    }

    /// <summary>Opens "cpu" or "cuda"; null with a reason when the requested device is not there.</summary>
    public static IlgpuHost? Open(string device, out string? whyNot)
    {
        whyNot = null;
        if (device == "cpu")
        {
            var ctx = Context.Create(b => b.CPU(CPUDevice.Nvidia).Profiling());
            return new IlgpuHost(ctx, ctx.CreateCPUAccelerator(0));
        }
        Context? cuda = null;
        try
        {
            cuda = Context.Create(b => b.Cuda().Profiling().Optimize(OptimizationLevel.O2).EnableAlgorithms());
            if (cuda.GetCudaDevices().Count == 0)
            {
                whyNot = "ILGPU found no CUDA device";
                cuda.Dispose();
                return null;
            }
            return new IlgpuHost(cuda, cuda.CreateCudaAccelerator(0));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            cuda?.Dispose();
            whyNot = "ILGPU CUDA runtime unavailable: " + e.Message.Split('\n')[0];
            return null;
        }
    }

    /// <summary>Times one launch sequence: profiling markers (CUDA events) on CUDA, synchronize + Stopwatch elsewhere.</summary>
    /// <summary>Makes this accelerator's context current on the calling thread (the runner measures on its own thread).</summary>
    public void Bind() => Accelerator.Bind();

    public double Time(Action launch)
    {
        Accelerator.Bind();
        if (IsCuda)
        {
            using var start = Accelerator.AddProfilingMarker();
            launch();
            using var end = Accelerator.AddProfilingMarker();
            end.Synchronize();
            return end.MeasureFrom(start).TotalSeconds;
        }
        Accelerator.Synchronize();
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        launch();
        Accelerator.Synchronize();
        return System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}
