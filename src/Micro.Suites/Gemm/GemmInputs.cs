namespace Micro.Suites.Gemm;

/// <summary>
/// Seeded non-zero GEMM operands. Element i of an operand is tile[i mod T] with T a prime (1,048,573), so rows do not
/// repeat in step with any matrix dimension, generation of a multi-GB operand stays fast, and the CPU reference can
/// recompute any element without a host copy. Tile values are uniform in +-[0.25, 1) and already rounded to the
/// storage type, so the reference sees exactly what the GPU sees.
/// </summary>
public sealed class GemmInputs
{
    public const int TileLength = 1_048_573;
    private readonly float[] _tile;

    public GemmInputs(int seed, GemmDType dtype)
    {
        var rng = new Random(seed);
        _tile = new float[TileLength];
        for (var i = 0; i < _tile.Length; i++)
        {
            var v = 0.25f + 0.75f * rng.NextSingle();
            _tile[i] = Quantize(rng.Next(2) == 0 ? v : -v, dtype);
        }
    }

    public float this[long index] => _tile[index % TileLength];

    public static float Quantize(float v, GemmDType t) => t.Name switch
    {
        "bf16" => BFloat16.ToFloat(BFloat16.FromFloat(v)),
        "fp16" => (float)(Half)v,
        "fp8" => Fp8E4M3.ToFloat(Fp8E4M3.FromFloat(v)),
        _ => v,
    };

    /// <summary>The operand of <paramref name="count"/> elements in storage format (fp8 as e4m3 bytes, bf16/fp16 as ushort bits, fp32 as float bits).</summary>
    public byte[] Encode(long count, GemmDType t)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)(count * t.ElementBytes)));
        var tileBits = EncodeTile(t);
        if (t.ElementBytes == 1)
        {
            var src = (byte[])tileBits;
            for (long i = 0; i < count; i += TileLength)
                src.AsSpan(0, (int)Math.Min(TileLength, count - i)).CopyTo(bytes.AsSpan((int)i));
        }
        else if (t.ElementBytes == 2)
        {
            var dst = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan());
            var src = (ushort[])tileBits;
            for (long i = 0; i < count; i += TileLength)
                src.AsSpan(0, (int)Math.Min(TileLength, count - i)).CopyTo(dst[(int)i..]);
        }
        else
        {
            var dst = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan());
            for (long i = 0; i < count; i += TileLength)
                _tile.AsSpan(0, (int)Math.Min(TileLength, count - i)).CopyTo(dst[(int)i..]);
        }
        return bytes;
    }

    private Array EncodeTile(GemmDType t) => t.Name switch
    {
        "bf16" => _tile.Select(BFloat16.FromFloat).ToArray(),
        "fp16" => _tile.Select(v => BitConverter.HalfToUInt16Bits((Half)v)).ToArray(),
        "fp8" => _tile.Select(Fp8E4M3.FromFloat).ToArray(),
        _ => _tile,
    };
}

/// <summary>bfloat16 bits: the upper half of an IEEE float, rounded to nearest even.</summary>
public static class BFloat16
{
    public static ushort FromFloat(float f)
    {
        var bits = BitConverter.SingleToUInt32Bits(f);
        if (float.IsNaN(f)) return 0x7FC0;
        var rounding = 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)((bits + rounding) >> 16);
    }

    public static float ToFloat(ushort b) => BitConverter.UInt32BitsToSingle((uint)b << 16);
}
