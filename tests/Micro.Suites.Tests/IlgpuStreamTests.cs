using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using Micro.Suites.Memory;
using Micro.Suites.Memory.Backends;
using Micro.Suites.Running;

namespace Micro.Suites.Tests;

public class IlgpuStreamTests
{
    [Fact]
    public void EveryKernelVerifiesOnTheCpuAcceleratorAndIsLabelledAnEmulator()
    {
        var provider = new IlgpuStreamProvider();
        var sink = new ListSink();
        var outcome = new MemorySuite([provider]).Run(new SuiteRequest { Quick = true }, new MemoryOptions(), sink, NullProgress.Instance);
        Assert.Empty(outcome.Failures);
        Assert.Equal(16, sink.Records.Count);
        Assert.All(sink.Records, r =>
        {
            Assert.True(r.Verification.Passed, $"{r.Case} {r.DType}: {r.Verification.Wrong} wrong, {r.Verification.MaxError}");
            if (r.Parameters["accelerator"] == "CPU")
            {
                Assert.Equal("emulator, not a ceiling", r.Label);
                Assert.Null(r.Ceiling);
                Assert.Equal(IlgpuStreamProvider.EmulatorElementsQuick, r.Stream!.Elements);
            }
        });
    }

    [Fact]
    public void AWrongIlgpuKernelIsCaught()
    {
        var sink = new ListSink();
        var request = new SuiteRequest { Quick = true };
        var options = new MemoryOptions { Kernels = [StreamKernel.Copy, StreamKernel.Dot], DTypes = [StreamDType.Double] };
        var inner = new IlgpuStreamProvider().Open(quick: true).Backends;
        var outcome = new MemorySuite([new FixedProvider("corrupt", () => new CorruptingBackend(inner[0]))]).Run(request, options, sink, NullProgress.Instance);
        Assert.Equal(2, outcome.Failures.Count);
        Assert.All(sink.Records, r => Assert.True(r.Verification.Wrong > 0));
    }

    [Theory]
    [InlineData(nameof(IlgpuStreamKernels.TriadFloat), "ld.global.v4.f32", "st.global.v4.f32")]
    [InlineData(nameof(IlgpuStreamKernels.CopyFloat), "ld.global.v4.f32", "st.global.v4.f32")]
    [InlineData(nameof(IlgpuStreamKernels.TriadDouble), "ld.global.v2.f64", "st.global.v2.f64")]
    public void ElementWiseKernelsCompileToPtxWith128BitAccesses(string kernel, string load, string store)
    {
        using var context = Context.Create(b => b.DefaultCPU().EnableAlgorithms().Optimize(OptimizationLevel.O2));
        using var backend = new PTXBackend(context, CudaArchitecture.SM_80, CudaInstructionSet.ISA_80, null!);
        var method = typeof(IlgpuStreamKernels).GetMethod(kernel)!;
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(method), KernelSpecialization.Empty);
        Assert.Contains(load, compiled.PTXAssembly);
        Assert.Contains(store, compiled.PTXAssembly);
    }

    [Fact]
    public void DotCompilesToPtxWithVectorLoadsAndOneGlobalAtomic()
    {
        using var context = Context.Create(b => b.DefaultCPU().EnableAlgorithms().Optimize(OptimizationLevel.O2));
        using var backend = new PTXBackend(context, CudaArchitecture.SM_80, CudaInstructionSet.ISA_80, null!);
        var method = typeof(IlgpuStreamKernels).GetMethod(nameof(IlgpuStreamKernels.DotFloat))!;
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(method), KernelSpecialization.Empty);
        Assert.Contains("ld.global.v4.f32", compiled.PTXAssembly);
        // One atomic per group after ILGPU.Algorithms' group reduction (red = atomic without a return value).
        Assert.Matches(@"(red|atom)\.(global\.add|add\.global)\.f32", compiled.PTXAssembly);
    }
}
