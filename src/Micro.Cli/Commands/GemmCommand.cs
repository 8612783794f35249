using System.CommandLine;
using Micro.Suites.Gemm;

namespace Micro.Cli.Commands;

public static class GemmCommand
{
    public static Command Build()
    {
        var known = GemmDType.All.Select(t => t.Name).ToArray();
        var dtype = CommonOptions.DType(string.Join(", ", known));
        return GpuSuiteCommand.Build("gemm",
            "GEMM rate through cuBLASLt (bf16/fp16/fp8, tuned) and cuBLAS (tf32/fp32), square sizes to 8192, LLM shapes, vs the datasheet",
            () => new GemmSuite(), new GemmOptions(),
            cmd => cmd.Options.Add(dtype),
            (parse, o) => SuiteOptions.Split(parse.GetValue(dtype)) is { Length: > 0 } names
                ? o with
                {
                    DTypes = names.Select(n => known.Contains(n.ToLowerInvariant()) ? n.ToLowerInvariant()
                        : throw new UsageException($"unknown --dtype '{n}' (known: {string.Join(", ", known)})")).ToHashSet(StringComparer.OrdinalIgnoreCase),
                }
                : o);
    }
}
