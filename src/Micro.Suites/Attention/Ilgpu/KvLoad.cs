using ILGPU;

namespace Micro.Suites.Attention.Ilgpu;

/// <summary>
/// Device-side loads of KV elements stored as fp32 (dtype 0), fp16 bits (1) or bf16 bits (2). ILGPU has Half but no
/// BFloat16, so 16-bit data travels as ushort: fp16 through Interop.IntAsFloat(ushort) -> Half, bf16 by a 16-bit shift.
/// 16-bit rows are read 4 elements (8 bytes) per load through a ulong view; offsets must be multiples of 4.
/// </summary>
internal static class KvLoad
{
    public static float Convert(uint bits, int dtype) =>
        dtype == 1 ? (float)Interop.IntAsFloat((ushort)bits) : Interop.IntAsFloat(bits << 16);

    public static float One(ArrayView<float> f, ArrayView<ushort> h, long i, int dtype) =>
        dtype == 0 ? f[i] : Convert(h[i], dtype);

    /// <summary>Four consecutive elements starting at i (a multiple of 4).</summary>
    public static void Four(ArrayView<float> f, ArrayView<ushort> h, long i, int dtype,
        out float x0, out float x1, out float x2, out float x3)
    {
        if (dtype == 0)
        {
            x0 = f[i]; x1 = f[i + 1]; x2 = f[i + 2]; x3 = f[i + 3];
            return;
        }
        ulong w = h.Cast<ulong>()[i >> 2];
        x0 = Convert((uint)(w & 0xFFFF), dtype);
        x1 = Convert((uint)((w >> 16) & 0xFFFF), dtype);
        x2 = Convert((uint)((w >> 32) & 0xFFFF), dtype);
        x3 = Convert((uint)(w >> 48), dtype);
    }

    /// <summary>q (in shared memory, pre-scaled) . row of n elements at i; n a multiple of 8, hand-unrolled by 8.</summary>
    public static float Dot(ArrayView<float> qs, int qOff, ArrayView<float> f, ArrayView<ushort> h, long i, int n, int dtype)
    {
        float a0 = 0f, a1 = 0f;
        for (int d = 0; d < n; d += 8)
        {
            Four(f, h, i + d, dtype, out var x0, out var x1, out var x2, out var x3);
            Four(f, h, i + d + 4, dtype, out var y0, out var y1, out var y2, out var y3);
            int o = qOff + d;
            a0 += qs[o] * x0 + qs[o + 1] * x1 + qs[o + 2] * x2 + qs[o + 3] * x3;
            a1 += qs[o + 4] * y0 + qs[o + 5] * y1 + qs[o + 6] * y2 + qs[o + 7] * y3;
        }
        return a0 + a1;
    }

    /// <summary>Max of 32 scores in shared memory and a running max, hand-unrolled by 4.</summary>
    public static float Max32(ArrayView<float> s, int off, float start)
    {
        float a = start, b = float.NegativeInfinity;
        for (int j = 0; j < 32; j += 4)
        {
            a = Math.Max(a, Math.Max(s[off + j], s[off + j + 1]));
            b = Math.Max(b, Math.Max(s[off + j + 2], s[off + j + 3]));
        }
        return Math.Max(a, b);
    }

    /// <summary>Rescale factor exp(m_old - m_new), 1 when nothing has been seen yet (both -inf).</summary>
    public static float Rescale(float mOld, float mNew) =>
        mNew == float.NegativeInfinity ? 1f : MathF.Exp(mOld - mNew);

    public static float Prob(float s, float mNew) =>
        s == float.NegativeInfinity ? 0f : MathF.Exp(s - mNew);
}
