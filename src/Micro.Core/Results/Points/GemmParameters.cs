namespace Micro.Core.Results.Points;

/// <summary>GEMM input precisions (fp8 is e4m3 with bf16 output).</summary>
public enum GemmDtype { Bf16, Fp16, Fp8, Tf32, Fp32 }

/// <summary>One GEMM point, C[M,N] = A[M,K] B[K,N] in torch's row-major terms; for `micro gemm --model` the layer it is.</summary>
public sealed record GemmParameters : IPointParameters
{
    /// <summary>The sweep's shape name: square, llama3-8b.qkv ... or model.layer.</summary>
    public required string Shape { get; init; }
    public required long M { get; init; }
    public required long N { get; init; }
    public required long K { get; init; }
    public required GemmDtype Dtype { get; init; }
    public string? Model { get; init; }
    public string? Layer { get; init; }
    public int? Tp { get; init; }
    /// <summary>Tokens of the engine step the layer's M stands for.</summary>
    public int? Tokens { get; init; }

    [System.Text.Json.Serialization.JsonIgnore] public double Flops => 2.0 * M * N * K;
}
