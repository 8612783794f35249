using System.Buffers.Binary;

namespace Micro.Suites.Collectives;

/// <summary>Writes and reads collective elements (float, half, bfloat16, int32) as little-endian bytes.</summary>
public static class ElementCodec
{
    public static void Put(Span<byte> dst, long index, CollectiveDType t, double v)
    {
        var i = checked((int)index);
        switch (t)
        {
            case CollectiveDType.Float: BinaryPrimitives.WriteSingleLittleEndian(dst[(i * 4)..], (float)v); break;
            case CollectiveDType.Int32: BinaryPrimitives.WriteInt32LittleEndian(dst[(i * 4)..], (int)v); break;
            case CollectiveDType.Half: BinaryPrimitives.WriteHalfLittleEndian(dst[(i * 2)..], (Half)v); break;
            default:
                // Round to nearest even from float; exact for the small integers Micro uses.
                var bits = BitConverter.SingleToUInt32Bits((float)v);
                bits += 0x7FFF + ((bits >> 16) & 1);
                BinaryPrimitives.WriteUInt16LittleEndian(dst[(i * 2)..], (ushort)(bits >> 16));
                break;
        }
    }

    public static double Get(ReadOnlySpan<byte> src, long index, CollectiveDType t)
    {
        var i = checked((int)index);
        return t switch
        {
            CollectiveDType.Float => BinaryPrimitives.ReadSingleLittleEndian(src[(i * 4)..]),
            CollectiveDType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(src[(i * 4)..]),
            CollectiveDType.Half => (double)BinaryPrimitives.ReadHalfLittleEndian(src[(i * 2)..]),
            _ => BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(src[(i * 2)..]) << 16),
        };
    }
}

/// <summary>
/// Seeded inputs whose reduction is exact in every type: small positive integers (1..k) whose sum over
/// the ranks stays within the type's exact-integer range; for prod one rank holds 2 or 3 and the rest 1.
/// Rep 0 feeds the timed iterations, reps 1..c the checks, so a stale output never matches.
/// </summary>
public sealed class InputPattern(int nranks, CollectiveDType t, RedOp redop, int rep)
{
    private readonly long _span = SpanFor(nranks, t, redop);

    private static long SpanFor(int n, CollectiveDType t, RedOp redop)
    {
        if (redop != RedOp.Sum) return 5;
        // Largest exact integer: bfloat16 256, half 2048, float 2^24, int32 2^31.
        var limit = t switch { CollectiveDType.BFloat16 => 256L, CollectiveDType.Half => 2048L, _ => 1L << 24 };
        return Math.Clamp(limit / n, 1, 5);
    }

    public double Value(int rank, long element)
    {
        if (redop == RedOp.Prod)
            return (element + rep) % nranks == rank ? 2 + (element + rep) % 2 : 1;
        // Avg: one rank adds nranks to a common base, so the sum divides by nranks exactly (integer types too) and every
        // element still depends on which rank contributed.
        if (redop == RedOp.Avg)
            return 1 + (element * 7 + rep * 11L) % _span + ((element + rep) % nranks == rank ? nranks : 0);
        return 1 + (element * 7 + rank * 3L + rep * 11L) % _span;
    }
}
