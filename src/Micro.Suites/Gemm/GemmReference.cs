namespace Micro.Suites.Gemm;

/// <summary>
/// CPU reference for sampled outputs of C[M,N] = A[M,K] @ B in float64 (B as [K,N], or as [N,K] for the TN layout),
/// and the tolerance each precision earns: |c - ref| <= out * |ref| + acc * sum|a*b|, where `out` is the output
/// rounding (two ulps: bf16 2^-7, fp16 2^-10, fp32 0; fp8 GEMMs write bf16) and `acc` covers fp32 accumulation in any
/// order (1e-4 of sum|a*b| for 16-bit inputs, 1e-5 for fp32), tf32's rounded inputs (2e-3, ~2 x 2^-11 per product), or Hopper fp8 tensor cores, which
/// add partial sums in reduced precision (~14 bits) before cuBLASLt promotes them to fp32 every few k-blocks (1e-3).
/// </summary>
public static class GemmReference
{
    public static (double Ref, double AbsSum) Element(GemmInputs a, GemmInputs b, int k, int n, int row, int col, bool bIsNByK = false)
    {
        double sum = 0, abs = 0;
        for (var kk = 0; kk < k; kk++)
        {
            var p = (double)a[(long)row * k + kk] * b[bIsNByK ? (long)col * k + kk : (long)kk * n + col];
            sum += p;
            abs += Math.Abs(p);
        }
        return (sum, abs);
    }

    public static (double Output, double Accumulate) Tolerance(GemmDType t) => t.Name switch
    {
        "bf16" => (2.0 / 256, 1e-4),
        "fp16" => (2.0 / 2048, 1e-4),
        "fp8" => (2.0 / 256, 1e-3),
        "tf32" => (0, 2e-3),
        _ => (0, 1e-5),
    };

    public static bool WithinTolerance(GemmDType t, double got, double reference, double absSum)
    {
        if (!double.IsFinite(got)) return false;
        var (o, acc) = Tolerance(t);
        return Math.Abs(got - reference) <= o * Math.Abs(reference) + acc * absSum + 1e-12;
    }

    /// <summary>Output positions to check: the corners plus <paramref name="count"/> seeded random positions.</summary>
    public static IReadOnlyList<(int Row, int Col)> Samples(int m, int n, int count, int seed)
    {
        var rng = new Random(seed);
        var list = new List<(int, int)> { (0, 0), (m - 1, n - 1), (0, n - 1), (m - 1, 0) };
        for (var i = 0; i < count; i++) list.Add((rng.Next(m), rng.Next(n)));
        return list;
    }
}
