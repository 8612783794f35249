namespace Micro.Suites.Attention;

/// <summary>
/// A host copy of one input tensor in its stored type (fp32 values, or 16-bit bits) so the reference reads exactly
/// the values the device reads. Filled from a seed with non-zero values in +-[0.05, 1] (sign and magnitude random).
/// </summary>
public sealed class HostTensor
{
    public KvDType Type { get; }
    public float[]? F { get; }
    public ushort[]? H { get; }
    public long Length { get; }

    private HostTensor(KvDType type, long length)
    {
        if (length > Array.MaxLength) throw new ArgumentException($"tensor of {length:N0} elements is larger than one host array; use a smaller batch or context");
        Type = type;
        Length = length;
        if (type == KvDType.Fp32) F = new float[length];
        else H = new ushort[length];
    }

    public double this[long i] => F is not null ? F[i] : KvDTypes.Decode(H![i], Type);

    public static HostTensor Random(KvDType type, long length, ulong seed)
    {
        var t = new HostTensor(type, length);
        const int chunk = 1 << 16;
        var chunks = (int)((length + chunk - 1) / chunk);
        Parallel.For(0, chunks, c =>
        {
            var state = seed ^ (0x9E3779B97F4A7C15UL * (ulong)(c + 1));
            long start = (long)c * chunk, end = Math.Min(length, start + chunk);
            for (var i = start; i < end; i++)
            {
                var r = SplitMix(ref state);
                var magnitude = 0.05f + 0.95f * ((r >> 40) / (float)(1UL << 24));
                var v = (r & 1) == 0 ? magnitude : -magnitude;
                if (t.F is not null) t.F[i] = v;
                else t.H![i] = KvDTypes.Encode(v, type);
            }
        });
        return t;
    }

    private static ulong SplitMix(ref ulong s)
    {
        var z = s += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>Block tables: contiguous = one block of Context rows per sequence; paged = a seeded shuffle of physical blocks.</summary>
public static class BlockTables
{
    public static int[] Build(int batch, int blocksPerSequence, KvLayout layout, ulong seed)
    {
        var table = new int[batch * blocksPerSequence];
        for (var i = 0; i < table.Length; i++) table[i] = i;
        if (layout == KvLayout.Paged) new Random((int)(seed & 0x7FFFFFFF)).Shuffle(table);
        return table;
    }
}
