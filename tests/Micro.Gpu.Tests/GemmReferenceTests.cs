using Micro.Suites.Gemm;

namespace Micro.Gpu.Tests;

public class GemmReferenceTests
{
    [Fact]
    public void Bfloat16_rounds_to_nearest_even()
    {
        Assert.Equal((ushort)0x3F80, BFloat16.FromFloat(1.0f));
        Assert.Equal(1.0f, BFloat16.ToFloat(0x3F80));
        // 1 + 2^-8 is exactly halfway between 1 and 1 + 2^-7: ties go to the even mantissa (1.0).
        Assert.Equal((ushort)0x3F80, BFloat16.FromFloat(1.00390625f));
        // 1 + 3*2^-8 is halfway between 1+2^-7 (odd) and 1+2^-6 (even): rounds up to the even one.
        Assert.Equal((ushort)0x3F82, BFloat16.FromFloat(1.01171875f));
        Assert.Equal((ushort)0xC000, BFloat16.FromFloat(-2f));
    }

    [Fact]
    public void Inputs_are_non_zero_quantized_and_encoded_consistently()
    {
        foreach (var t in GemmDType.All)
        {
            var g = new GemmInputs(3, t);
            for (long i = 0; i < 5000; i++)
            {
                var v = g[i];
                Assert.InRange(Math.Abs(v), 0.24f, 1.0f);
                Assert.Equal(v, GemmInputs.Quantize(v, t));
            }
            var bytes = g.Encode(GemmInputs.TileLength + 10, t);
            Assert.Equal((GemmInputs.TileLength + 10L) * t.ElementBytes, bytes.LongLength);
            long idx = GemmInputs.TileLength + 7;
            float decoded = t.Name switch
            {
                "bf16" => BFloat16.ToFloat(BitConverter.ToUInt16(bytes, (int)(idx * 2))),
                "fp16" => (float)BitConverter.ToHalf(bytes, (int)(idx * 2)),
                "fp8" => Fp8E4M3.ToFloat(bytes[idx]),
                _ => BitConverter.ToSingle(bytes, (int)(idx * 4)),
            };
            Assert.Equal(g[idx], decoded);
        }
    }

    [Fact]
    public void Reference_element_matches_a_naive_row_major_product()
    {
        const int m = 5, n = 7, k = 33;
        var a = new GemmInputs(1, GemmDType.Fp32);
        var b = new GemmInputs(2, GemmDType.Fp32);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                double want = 0, abs = 0;
                for (var kk = 0; kk < k; kk++)
                {
                    want += (double)a[i * k + kk] * b[kk * n + j];
                    abs += Math.Abs((double)a[i * k + kk] * b[kk * n + j]);
                }
                var (got, gotAbs) = GemmReference.Element(a, b, k, n, i, j);
                Assert.Equal(want, got, 12);
                Assert.Equal(abs, gotAbs, 12);
            }
    }

    [Fact]
    public void Tolerance_accepts_rounding_and_rejects_real_errors()
    {
        var a = new GemmInputs(1, GemmDType.Bf16);
        var b = new GemmInputs(2, GemmDType.Bf16);
        var (r, abs) = GemmReference.Element(a, b, 4096, 4096, 3, 9);
        var roundedToBf16 = BFloat16.ToFloat(BFloat16.FromFloat((float)r));
        Assert.True(GemmReference.WithinTolerance(GemmDType.Bf16, roundedToBf16, r, abs));
        // Dropping one product term (a missed k-step) must fail.
        var missing = r - (double)a[3L * 4096 + 100] * b[100L * 4096 + 9];
        Assert.False(GemmReference.WithinTolerance(GemmDType.Fp32, missing, r, abs));
        Assert.False(GemmReference.WithinTolerance(GemmDType.Bf16, float.NaN, r, abs));
        Assert.False(GemmReference.WithinTolerance(GemmDType.Bf16, 0, r, abs));
    }

    [Fact]
    public void Samples_cover_corners_and_stay_in_range()
    {
        var s = GemmReference.Samples(64, 28672, 60, 7);
        Assert.Contains((63, 28671), s);
        Assert.Contains((0, 0), s);
        Assert.Equal(64, s.Count);
        Assert.All(s, p => { Assert.InRange(p.Row, 0, 63); Assert.InRange(p.Col, 0, 28671); });
    }
}
