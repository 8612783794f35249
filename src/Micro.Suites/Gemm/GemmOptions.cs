using Micro.Core.Models;
using Micro.Suites.Link;

namespace Micro.Suites.Gemm;

/// <summary>
/// `micro gemm`: the device and the precisions (null: every one of <see cref="GemmDType.All"/>; with a model, bf16).
/// With <see cref="Model"/> the cases are that model's linear layers at <see cref="TensorParallel"/> and each of
/// <see cref="Tokens"/> (<see cref="ModelGemmCases"/>) instead of the fixed sweep.
/// </summary>
public sealed record GemmOptions : GpuSuiteOptions
{
    public IReadOnlySet<string>? DTypes { get; init; }
    public ModelConfig? Model { get; init; }
    public int TensorParallel { get; init; } = 1;
    public IReadOnlyList<int> Tokens { get; init; } = ModelGemmCases.DefaultTokens;

    public IReadOnlyList<GemmCase> Cases(bool quick) =>
        Model is { } m ? ModelGemmCases.For(m, TensorParallel, Tokens, DTypes) : GemmCase.Sweep(quick, DTypes);
}
