namespace Micro.Devices.Cublas;

/// <summary>
/// One cuBLASLt GEMM in row-major terms, D[M,N] = scaleA * scaleB * A[M,K] @ W[N,K]^T, the layout of a linear layer
/// (activations x weights as nn.Linear stores them) and of torch._scaled_mm(a, w.t()). Both operands are K-contiguous,
/// which is cuBLASLt's "TN" layout and the only one its fp8 kernels take on Hopper. In cuBLASLt's column-major terms:
/// m = N, n = M, k = K, its A is W (K x N, ld K, transposed), its B is A (K x M, ld K), C/D are N x M with ld N.
/// Shapes are checked here, before any library call: N and K positive multiples of 16 (so every row of A, W and D starts
/// 16-byte aligned for fp8, as cuBLASLt's fast kernels want), M any positive count of rows (it sets no leading dimension:
/// decode GEMMs run at M = 1, as torch._scaled_mm allows), and only the type pairs Micro measures.
/// </summary>
public sealed record LtGemmProblem
{
    public const int Alignment = 16;

    public int M { get; }
    public int N { get; }
    public int K { get; }
    public CudaDataType Input { get; }
    public CudaDataType Output { get; }
    /// <summary>fp8 only: CUBLASLT_MATMUL_DESC_FAST_ACCUM (false = partial sums promoted to fp32 periodically, torch's default).</summary>
    public bool FastAccumulation { get; }

    private LtGemmProblem(int m, int n, int k, CudaDataType input, CudaDataType output, bool fastAccumulation)
    {
        (M, N, K, Input, Output, FastAccumulation) = (m, n, k, input, output, fastAccumulation);
    }

    /// <summary>The problem, or <see cref="ArgumentException"/> naming the field and the reason.</summary>
    public static LtGemmProblem Create(int m, int n, int k, CudaDataType input, CudaDataType output, bool fastAccumulation = false)
    {
        if (m < 1) throw new ArgumentException($"cuBLASLt GEMM: m={m} must be at least 1");
        foreach (var (name, v) in new[] { ("n", n), ("k", k) })
        {
            if (v < Alignment) throw new ArgumentException($"cuBLASLt GEMM: {name}={v} must be at least {Alignment}");
            if (v % Alignment != 0) throw new ArgumentException($"cuBLASLt GEMM: {name}={v} is not a multiple of {Alignment}");
        }
        var pairOk = (input, output) switch
        {
            (CudaDataType.R16BF, CudaDataType.R16BF) => true,
            (CudaDataType.R16F, CudaDataType.R16F) => true,
            (CudaDataType.R8FE4M3, CudaDataType.R16BF) => true,
            _ => false,
        };
        if (!pairOk) throw new ArgumentException($"cuBLASLt GEMM: input {input} with output {output} is not a measured pair (bf16->bf16, fp16->fp16, e4m3->bf16)");
        if (fastAccumulation && input != CudaDataType.R8FE4M3) throw new ArgumentException("cuBLASLt GEMM: fast accumulation applies to fp8 inputs only");
        var p = new LtGemmProblem(m, n, k, input, output, fastAccumulation);
        if (p.BytesA + p.BytesW + p.BytesD > (1L << 40)) throw new ArgumentException($"cuBLASLt GEMM: {m}x{n}x{k} needs more than 1 TiB");
        return p;
    }

    public bool IsFp8 => Input == CudaDataType.R8FE4M3;
    public int InputBytes => ElementBytes(Input);
    public int OutputBytes => ElementBytes(Output);
    public long BytesA => (long)M * K * InputBytes;
    public long BytesW => (long)N * K * InputBytes;
    public long BytesD => (long)M * N * OutputBytes;

    // cuBLASLt's column-major view.
    public int LtM => N;
    public int LtN => M;
    public int LtK => K;
    public int TransA => CublasConst.OpT;
    public int TransB => CublasConst.OpN;
    /// <summary>(type, rows, cols, ld) of cuBLASLt's A (= W), B (= A), C and D.</summary>
    public (CudaDataType Type, ulong Rows, ulong Cols, long Ld) LayoutA => (Input, (ulong)K, (ulong)N, K);
    public (CudaDataType Type, ulong Rows, ulong Cols, long Ld) LayoutB => (Input, (ulong)K, (ulong)M, K);
    public (CudaDataType Type, ulong Rows, ulong Cols, long Ld) LayoutD => (Output, (ulong)N, (ulong)M, N);

    /// <summary>
    /// The matmul-descriptor attributes in the order they are set, as (attribute, value bytes): transA/transB are
    /// 4-byte cublasOperation_t, FAST_ACCUM a 1-byte int8_t, the fp8 scale pointers 8-byte device pointers.
    /// </summary>
    public IReadOnlyList<(int Attribute, byte[] Value)> DescriptorAttributes(ulong scaleA = 0, ulong scaleB = 0)
    {
        var list = new List<(int, byte[])>
        {
            (LtConst.DescTransA, BitConverter.GetBytes(TransA)),
            (LtConst.DescTransB, BitConverter.GetBytes(TransB)),
        };
        if (!IsFp8) return list;
        if (scaleA == 0 || scaleB == 0) throw new ArgumentException("cuBLASLt fp8 GEMM: per-tensor scale pointers for A and B are required");
        list.Add((LtConst.DescAScalePointer, BitConverter.GetBytes(scaleA)));
        list.Add((LtConst.DescBScalePointer, BitConverter.GetBytes(scaleB)));
        list.Add((LtConst.DescFastAccum, [FastAccumulation ? (byte)1 : (byte)0]));
        return list;
    }

    public static int ElementBytes(CudaDataType t) => t switch
    {
        CudaDataType.R8FE4M3 or CudaDataType.R8FE5M2 => 1,
        CudaDataType.R16F or CudaDataType.R16BF => 2,
        CudaDataType.R32F => 4,
        CudaDataType.R64F => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "unknown element size"),
    };

    public override string ToString() => $"{M}x{N}x{K} {Input}->{Output} TN";
}
