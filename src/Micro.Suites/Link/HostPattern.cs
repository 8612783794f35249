namespace Micro.Suites.Link;

/// <summary>
/// A seeded, never-zero 32-bit word pattern for copy buffers: word i = hash(i, seed) | 1. Filling and checking are
/// pure functions of (index, seed), so a copy is verified element by element without a second copy of the data.
/// </summary>
public static class HostPattern
{
    public static uint Word(long index, uint seed) => ((uint)index * 2654435761u ^ seed * 40503u ^ (uint)(index >> 32)) | 1u;

    public static void Fill(Span<uint> words, uint seed, long offset = 0)
    {
        for (var i = 0; i < words.Length; i++) words[i] = Word(offset + i, seed);
    }

    /// <summary>Number of words that differ from the pattern.</summary>
    public static long CountWrong(ReadOnlySpan<uint> words, uint seed, long offset = 0)
    {
        long wrong = 0;
        for (var i = 0; i < words.Length; i++)
            if (words[i] != Word(offset + i, seed)) wrong++;
        return wrong;
    }
}
