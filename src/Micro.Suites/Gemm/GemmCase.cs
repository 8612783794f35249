using Micro.Core.Ceilings;
using Micro.Core.Hardware;
using Micro.Devices.Cublas;

namespace Micro.Suites.Gemm;

/// <summary>
/// A GEMM precision: input storage, output storage, compute type, element sizes, ceiling name, and the library that
/// runs it: cuBLASLt (tuned over its heuristic's top candidates, TN layout) for bf16, fp16 and fp8 e4m3 (bf16 output,
/// per-tensor scales); cublasGemmEx for tf32 and fp32, which cuBLASLt adds nothing to here.
/// </summary>
public sealed record GemmDType(string Name, CudaDataType Storage, CudaDataType OutputStorage, CublasComputeType Compute,
    int ElementBytes, int OutputBytes, string Ceiling, bool Lt)
{
    public static readonly GemmDType Bf16 = new("bf16", CudaDataType.R16BF, CudaDataType.R16BF, CublasComputeType.Compute32F, 2, 2, CeilingNames.GemmBf16, true);
    public static readonly GemmDType Fp16 = new("fp16", CudaDataType.R16F, CudaDataType.R16F, CublasComputeType.Compute32F, 2, 2, CeilingNames.GemmFp16, true);
    public static readonly GemmDType Fp8 = new("fp8", CudaDataType.R8FE4M3, CudaDataType.R16BF, CublasComputeType.Compute32F, 1, 2, CeilingNames.GemmFp8, true);
    public static readonly GemmDType Tf32 = new("tf32", CudaDataType.R32F, CudaDataType.R32F, CublasComputeType.Compute32FFastTf32, 4, 4, CeilingNames.GemmTf32, false);
    public static readonly GemmDType Fp32 = new("fp32", CudaDataType.R32F, CudaDataType.R32F, CublasComputeType.Compute32F, 4, 4, CeilingNames.GemmFp32, false);
    public static readonly IReadOnlyList<GemmDType> All = [Bf16, Fp16, Fp8, Tf32, Fp32];

    /// <summary>"cublaslt" or "cublas": the backend name in results.</summary>
    public string Backend => Lt ? "cublaslt" : "cublas";

    /// <summary>The name of the output type (fp8 GEMMs write bf16).</summary>
    public string OutputName => OutputStorage switch
    {
        CudaDataType.R16BF => "bf16",
        CudaDataType.R16F => "fp16",
        _ => "fp32",
    };

    /// <summary>Element type code of kernels/gemm_reference.cu: 0 bf16, 1 fp16, 2 fp8 e4m3, 3 fp32.</summary>
    public int ReferenceCode => Storage switch
    {
        CudaDataType.R16BF => 0,
        CudaDataType.R16F => 1,
        CudaDataType.R8FE4M3 => 2,
        _ => 3,
    };

    public double? Datasheet(GpuSpec? spec) => Name switch
    {
        "bf16" => spec?.Bf16Tflops,
        "fp16" => spec?.Fp16Tflops,
        "fp8" => spec?.Fp8Tflops,
        "tf32" => spec?.Tf32Tflops,
        _ => spec?.Fp32Tflops,
    };
}

/// <summary>
/// One GEMM point in torch's row-major terms. cuBLASLt precisions use the TN layout of a linear layer,
/// C[M,N] = A[M,K] @ W[N,K]^T (torch.matmul(a, w.t()) / torch._scaled_mm(a, w.t())); cublasGemmEx precisions
/// C[M,N] = A[M,K] @ B[K,N] (torch.matmul(a, b)), so the figures compare line by line with scripts/device/h200.sh.
/// </summary>
public sealed record GemmCase(string Shape, GemmDType DType, int M, int N, int K)
{
    public string Name => $"{DType.Name}_{Shape}_{M}x{N}x{K}";

    /// <summary>The model layer this shape is (`micro gemm --model`), null for the fixed sweep.</summary>
    public ModelGemmLayer? Layer { get; init; }

    /// <summary>2*M*N*K: one multiply and one add per inner-product term.</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>Each operand read once, C written once: the fewest bytes the GEMM must move.</summary>
    public long MinimumBytes => ((long)M * K + (long)K * N) * DType.ElementBytes + (long)M * N * DType.OutputBytes;

    /// <summary>"TN" (B is [N,K], K-contiguous) for cuBLASLt, "NN" (B is [K,N]) for cublasGemmEx.</summary>
    public string Layout => DType.Lt ? "TN" : "NN";

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
        // The LLM shapes in the precisions models are served in: bf16 and fp8.
        foreach (var t in new[] { GemmDType.Bf16, GemmDType.Fp8 }.Where(t => dtypes is null || dtypes.Contains(t.Name)))
            foreach (var (shape, m, n, k) in quick ? LlmShapes.Take(1) : LlmShapes) list.Add(new(shape, t, m, n, k));
        return list;
    }
}
