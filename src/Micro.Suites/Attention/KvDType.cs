namespace Micro.Suites.Attention;

/// <summary>Element type of the KV cache (and of Q/O in the native kernels).</summary>
public enum KvDType { Fp32 = 0, Fp16 = 1, Bf16 = 2 }

public static class KvDTypes
{
    public static int Size(KvDType t) => t == KvDType.Fp32 ? 4 : 2;

    public static string Name(KvDType t) => t switch { KvDType.Fp32 => "fp32", KvDType.Fp16 => "fp16", _ => "bf16" };

    public static bool TryParse(string s, out KvDType t)
    {
        switch (s.Trim().ToLowerInvariant())
        {
            case "fp32" or "float32" or "float": t = KvDType.Fp32; return true;
            case "fp16" or "float16" or "half": t = KvDType.Fp16; return true;
            case "bf16" or "bfloat16": t = KvDType.Bf16; return true;
            default: t = default; return false;
        }
    }

    /// <summary>Relative-norm error bound per row for outputs computed with fp32 accumulation from inputs of this type.</summary>
    public static double Tolerance(KvDType t) => t == KvDType.Fp32 ? 1e-4 : 1e-2;

    /// <summary>float -> 16-bit bits, round to nearest even (bf16 by bit arithmetic; fp16 through System.Half).</summary>
    public static ushort Encode(float x, KvDType t)
    {
        if (t == KvDType.Fp16) return BitConverter.HalfToUInt16Bits((Half)x);
        var bits = BitConverter.SingleToUInt32Bits(x);
        var rounding = 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)((bits + rounding) >> 16);
    }

    public static float Decode(ushort bits, KvDType t) => t == KvDType.Fp16
        ? (float)BitConverter.UInt16BitsToHalf(bits)
        : BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
