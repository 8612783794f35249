using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Micro.Devices.Cuda;

namespace Micro.HostBench;

/// <summary>
/// Host-side cost of the launch path: a [LibraryImport] transition (libc getpid, the cheapest native call there is),
/// packing cuLaunchKernel's void** argument array for a 5-argument stream kernel, and the two together. The device
/// side of a launch is measured by `micro launch`; this is what the managed host adds before the driver is reached.
/// </summary>
[MemoryDiagnoser]
public partial class LaunchPInvokeBenchmarks
{
    [LibraryImport("libc", EntryPoint = "getpid")]
    private static partial int GetPid();

    private KernelArgs _reused = null!;

    [GlobalSetup]
    public void Setup() => _reused = new KernelArgs();

    [GlobalCleanup]
    public void Cleanup() => _reused.Dispose();

    [Benchmark(Baseline = true, Description = "P/Invoke transition (getpid)")]
    public int PInvoke() => GetPid();

    [Benchmark(Description = "pack 5 kernel args (new KernelArgs)")]
    public ulong PackArgsFresh()
    {
        using var a = new KernelArgs().Pointer(0x7f00_0000_0000UL).Pointer(0x7f00_1000_0000UL).Pointer(0x7f00_2000_0000UL).F32(0.4f).U64(1UL << 28);
        return a.SlotBits(4);
    }

    [Benchmark(Description = "P/Invoke + pack 5 args")]
    public ulong PInvokePlusPack() => (ulong)GetPid() + PackArgsFresh();
}
