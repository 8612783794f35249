namespace Micro.Suites.Gemm;

/// <summary>
/// OCP fp8 E4M3 (the "fn" variant torch calls float8_e4m3fn): 1 sign, 4 exponent bits (bias 7), 3 mantissa bits,
/// no infinities, S.1111.111 is NaN, largest finite 448, subnormals mant * 2^-9. Encoding rounds to nearest even and
/// saturates to +-448, as cuBLASLt's and torch's conversions with saturation do.
/// </summary>
public static class Fp8E4M3
{
    public const float MaxFinite = 448f;

    private static readonly float[] Decoded = Enumerable.Range(0, 256).Select(q => Decode((byte)q)).ToArray();

    public static float ToFloat(byte q) => Decoded[q];

    private static float Decode(byte q)
    {
        var sign = (q & 0x80) != 0 ? -1.0 : 1.0;
        int exp = (q >> 3) & 0xF, mant = q & 0x7;
        if (exp == 15 && mant == 7) return float.NaN;
        var v = exp == 0 ? mant / 512.0 : (1 + mant / 8.0) * Math.Pow(2, exp - 7);
        return (float)(sign * v);
    }

    public static byte FromFloat(float f)
    {
        if (float.IsNaN(f)) return 0x7F;
        var bits = BitConverter.SingleToUInt32Bits(f);
        var sign = (byte)((bits >> 24) & 0x80);
        var a = MathF.Abs(f);
        if (a >= MaxFinite) return (byte)(sign | 0x7E);
        if (a < 1f / 64)
        {
            // Subnormal range: steps of 2^-9 (exact in double); 8 steps is the smallest normal, code 0x08, as it should be.
            return (byte)(sign | (int)Math.Round(a * 512.0, MidpointRounding.ToEven));
        }
        var e = (int)((bits >> 23) & 0xFF) - 127;
        var m = bits & 0x7FFFFF;
        var keep = m >> 20;
        var rest = m & 0xFFFFF;
        if (rest > 0x80000 || (rest == 0x80000 && (keep & 1) != 0)) keep++;
        if (keep == 8) { keep = 0; e++; }
        var field = e + 7;
        if (field > 15 || (field == 15 && keep == 7)) return (byte)(sign | 0x7E);
        return (byte)(sign | (field << 3) | (int)keep);
    }
}
