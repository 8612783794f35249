using System.CommandLine;
using Micro.Suites.Gemm;

namespace Micro.Cli.Commands;

public static class GemmCommand
{
    public static Command Build()
    {
        var dtypes = new Option<string?>("--dtypes") { Description = "Comma list of precisions: bf16,fp16,fp8,tf32,fp32 (default: all)" };
        return GpuSuiteCommand.Build("gemm",
            "GEMM rate through cuBLASLt (bf16/fp16/fp8, tuned) and cuBLAS (tf32/fp32), square sizes to 8192, LLM shapes, vs the datasheet",
            () => new GemmSuite(),
            cmd => cmd.Options.Add(dtypes),
            parse => parse.GetValue(dtypes) is { } d ? new Dictionary<string, string> { ["dtypes"] = Validate(d) } : new Dictionary<string, string>());
    }

    private static string Validate(string list)
    {
        var known = GemmDType.All.Select(t => t.Name).ToHashSet();
        foreach (var t in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (!known.Contains(t.ToLowerInvariant())) throw new UsageException($"--dtypes: unknown precision '{t}' (known: {string.Join(", ", known)})");
        return list;
    }
}
