using Micro.Suites.Attention;

namespace Micro.Attention.Tests;

public class ReferenceTests
{
    [Fact]
    public void DecodeReferenceMatchesAHandComputedCase()
    {
        // One head, D=1... use D=2 with identical keys except one: scores [q.k0, q.k1] * 1/sqrt(2).
        var s = new DecodeShape(1, 1, 1, 2, 2, KvLayout.Contiguous, 0, KvDType.Fp32, 4);
        var q = Tensor(1f, 1f);
        var k = Tensor(1f, 0.5f, 0.5f, 0.5f); // scores 1.5/sqrt2, 1/sqrt2
        var v = Tensor(1f, 0.5f, -1f, 0.25f);
        var o = AttentionReference.DecodeRow(s, q, k, v, [0], 0, 0);
        var p0 = Math.Exp(1.5 / Math.Sqrt(2));
        var p1 = Math.Exp(1 / Math.Sqrt(2));
        Assert.Equal((p0 * 1 + p1 * -1) / (p0 + p1), o[0], 12);
        Assert.Equal((p0 * 0.5 + p1 * 0.25) / (p0 + p1), o[1], 12);
    }

    [Fact]
    public void CausalPrefillRowZeroIsItsOwnValue()
    {
        var s = new PrefillShape(1, 1, 1, 2, 3, true, KvDType.Fp32, 4);
        var q = HostTensor.Random(KvDType.Fp32, 6, 1);
        var k = HostTensor.Random(KvDType.Fp32, 6, 2);
        var v = HostTensor.Random(KvDType.Fp32, 6, 3);
        var o = AttentionReference.PrefillRow(s, q, k, v, 0, 0, 0);
        Assert.Equal(v[0], o[0], 12);
        Assert.Equal(v[1], o[1], 12);
    }

    [Fact]
    public void PagedReferenceFollowsTheBlockTable()
    {
        // Two blocks of 2 tokens stored swapped; the paged read must equal the contiguous read of the unswapped rows.
        var c = new DecodeShape(1, 2, 1, 2, 4, KvLayout.Contiguous, 0, KvDType.Fp32, 4);
        var p = c with { Layout = KvLayout.Paged, BlockSize = 2 };
        var q = HostTensor.Random(KvDType.Fp32, 4, 5);
        var k = HostTensor.Random(KvDType.Fp32, 8, 6);
        var v = HostTensor.Random(KvDType.Fp32, 8, 7);
        var ks = Swap(k);
        var vs = Swap(v);
        var a = AttentionReference.DecodeRow(c, q, k, v, [0], 0, 1);
        var b = AttentionReference.DecodeRow(p, q, ks, vs, [1, 0], 0, 1);
        Assert.Equal(a, b);
    }

    [Fact]
    public void RandomInputsAreNonZeroAndSeeded()
    {
        var a = HostTensor.Random(KvDType.Bf16, 100_000, 42);
        var b = HostTensor.Random(KvDType.Bf16, 100_000, 42);
        Assert.Equal(a.H, b.H);
        for (long i = 0; i < a.Length; i++) Assert.InRange(Math.Abs(a[i]), 0.049, 1.0);
    }

    private static HostTensor Tensor(params float[] values)
    {
        var t = HostTensor.Random(KvDType.Fp32, values.Length, 0);
        values.CopyTo(t.F!, 0);
        return t;
    }

    private static HostTensor Swap(HostTensor t)
    {
        var s = HostTensor.Random(KvDType.Fp32, t.Length, 0);
        var half = (int)t.Length / 2;
        for (var i = 0; i < half; i++) { s.F![i] = t.F![i + half]; s.F[i + half] = t.F[i]; }
        return s;
    }
}
