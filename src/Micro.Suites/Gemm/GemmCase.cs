using Micro.Core.Ceilings;
using Micro.Core.Hardware;
using Micro.Devices.Cublas;

namespace Micro.Suites.Gemm;

/// <summary>A GEMM precision: storage types, cuBLAS compute type, element size, ceiling name.</summary>
public sealed record GemmDType(string Name, CudaDataType Storage, CublasComputeType Compute, int ElementBytes, string Ceiling)
{
    public static readonly GemmDType Bf16 = new("bf16", CudaDataType.R16BF, CublasComputeType.Compute32F, 2, CeilingNames.GemmBf16);
    public static readonly GemmDType Fp16 = new("fp16", CudaDataType.R16F, CublasComputeType.Compute32F, 2, CeilingNames.GemmFp16);
    public static readonly GemmDType Tf32 = new("tf32", CudaDataType.R32F, CublasComputeType.Compute32FFastTf32, 4, CeilingNames.GemmTf32);
    public static readonly GemmDType Fp32 = new("fp32", CudaDataType.R32F, CublasComputeType.Compute32F, 4, CeilingNames.GemmFp32);
    public static readonly IReadOnlyList<GemmDType> All = [Bf16, Fp16, Tf32, Fp32];

    public double? Datasheet(GpuSpec? spec) => Name switch
    {
        "bf16" => spec?.Bf16Tflops,
        "fp16" => spec?.Fp16Tflops,
        "tf32" => spec?.Tf32Tflops,
        _ => spec?.Fp32Tflops,
    };
}

/// <summary>
/// One GEMM point in torch's row-major terms: C[M,N] = A[M,K] @ B[K,N] (as torch.matmul(a, b) on contiguous tensors),
/// so the figures compare line by line with the torch reference in scripts/device/gpu.sh.
/// </summary>
public sealed record GemmCase(string Shape, GemmDType DType, int M, int N, int K)
{
    public string Name => $"{DType.Name}_{Shape}_{M}x{N}x{K}";

    /// <summary>2*M*N*K: one multiply and one add per inner-product term.</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>Each operand read once, C written once: the fewest bytes the GEMM must move.</summary>
    public long MinimumBytes => ((long)M * K + (long)K * N + (long)M * N) * DType.ElementBytes;

    /// <summary>LLM-shaped GEMMs: M tokens x (N, K) from the models' hidden/intermediate sizes (Llama-3 8B and 70B).</summary>
    public static readonly IReadOnlyList<(string Shape, int M, int N, int K)> LlmShapes =
    [
        ("llama3-8b.qkv", 4096, 6144, 4096),
        ("llama3-8b.o_proj", 4096, 4096, 4096),
        ("llama3-8b.gate_up", 4096, 28672, 4096),
        ("llama3-8b.down", 4096, 4096, 14336),
        ("llama3-70b.qkv", 4096, 10240, 8192),
        ("llama3-70b.down", 4096, 8192, 28672),
        ("llama3-8b.gate_up.decode64", 64, 28672, 4096),
    ];

    public static IReadOnlyList<GemmCase> Sweep(bool quick, IReadOnlySet<string>? dtypes)
    {
        int[] squares = quick ? [1024, 2048] : [1024, 2048, 4096, 8192];
        var list = new List<GemmCase>();
        foreach (var t in GemmDType.All.Where(t => dtypes is null || dtypes.Contains(t.Name)))
            foreach (var s in squares) list.Add(new("square", t, s, s, s));
        if (dtypes is null || dtypes.Contains("bf16"))
            foreach (var (shape, m, n, k) in quick ? LlmShapes.Take(1) : LlmShapes) list.Add(new(shape, GemmDType.Bf16, m, n, k));
        return list;
    }
}
