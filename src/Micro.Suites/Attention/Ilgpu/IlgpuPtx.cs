using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Micro.Suites.Attention.Ilgpu;

/// <summary>
/// The PTX ILGPU emits for the attention kernels (no GPU needed), so their limits can be read from the code:
/// vector widths of global loads (ld.global.v2/v4), shared-memory traffic, local-memory spills, barriers.
/// </summary>
public static class IlgpuPtx
{
    public static IReadOnlyDictionary<string, string> Compile()
    {
        using var ctx = Context.Create(b => b.Cuda().Optimize(OptimizationLevel.O2).EnableAlgorithms());
        using var backend = new PTXBackend(ctx, CudaArchitecture.SM_80, CudaInstructionSet.ISA_80, null!);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, method) in Kernels())
        {
            var entry = EntryPointDescription.FromExplicitlyGroupedKernel(method);
            var compiled = (PTXCompiledKernel)backend.Compile(entry, KernelSpecialization.Empty);
            result[name] = compiled.PTXAssembly;
        }
        return result;
    }

    private static IEnumerable<(string, MethodInfo)> Kernels()
    {
        yield return ("ilgpu_decode", typeof(DecodeKernels).GetMethod(nameof(DecodeKernels.Decode))!);
        yield return ("ilgpu_mla_decode", typeof(MlaKernels).GetMethod(nameof(MlaKernels.Decode))!);
        yield return ("ilgpu_prefill", typeof(PrefillKernels).GetMethod(nameof(PrefillKernels.Prefill))!);
    }

    /// <summary>Counts of the instructions that explain a kernel's limits.</summary>
    public static IReadOnlyDictionary<string, int> Census(string ptx)
    {
        string[] patterns = ["ld.global.v4", "ld.global.v2", "ld.global.b64", "ld.global.b32", "ld.global.b16", "ld.global.f32", "ld.global.nc",
            "ld.shared", "st.shared", "ld.local", "st.local", "bar.sync", "shfl.sync", "ex2.approx", "mma.sync", "fma.rn.f32", "cvt.f32.f16"];
        return patterns.ToDictionary(p => p, p => CountOf(ptx, p));
    }

    private static int CountOf(string text, string pattern)
    {
        int n = 0, i = 0;
        while ((i = text.IndexOf(pattern, i, StringComparison.Ordinal)) >= 0) { n++; i += pattern.Length; }
        return n;
    }
}
