using Micro.Suites.Running;

namespace Micro.Suites.Memory;

/// <summary>The memory suite's own choices, carried in SuiteRequest.Extra as comma lists ("kernels", "dtypes").</summary>
public sealed record MemoryOptions(IReadOnlyList<StreamKernel> Kernels, IReadOnlyList<StreamDType> DTypes)
{
    public const string KernelsKey = "kernels";
    public const string DTypesKey = "dtypes";

    public static MemoryOptions From(SuiteRequest request)
    {
        var kernels = request.Extra.TryGetValue(KernelsKey, out var k) && !string.IsNullOrWhiteSpace(k)
            ? Split(k).Select(x => StreamCases.Find(x)?.Kernel ?? throw new ArgumentException($"unknown kernel '{x}' (known: {StreamCases.Names})")).Distinct().ToArray()
            : StreamCases.All.Select(c => c.Kernel).ToArray();
        var dtypes = request.Extra.TryGetValue(DTypesKey, out var d) && !string.IsNullOrWhiteSpace(d)
            ? Split(d).Select(x => StreamDTypes.Find(x) ?? throw new ArgumentException($"unknown dtype '{x}' (known: float, double)")).Distinct().ToArray()
            : StreamDTypes.All.ToArray();
        return new MemoryOptions(kernels, dtypes);
    }

    private static IEnumerable<string> Split(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
