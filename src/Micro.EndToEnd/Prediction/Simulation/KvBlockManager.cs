namespace Micro.EndToEnd.Prediction.Simulation;

/// <summary>
/// The KV cache of one replica (per GPU): sequences hold whole blocks of BlockSize tokens; a sequence's bytes are
/// recomputed only when its block count changes. Bytes rather than a block count, because a sliding-window layer's KV
/// does not grow with the context.
/// </summary>
internal sealed class KvBlockManager(KvLayout layout, int blockSize, double capacityBytes)
{
    public double Capacity { get; } = capacityBytes;
    public int BlockSize { get; } = blockSize;
    public double Used { get; private set; }
    public double Peak { get; private set; }

    /// <summary>KV bytes of whole blocks holding `tokens` for this sequence.</summary>
    public double Need(SimSequence s, int tokens)
    {
        var blocks = (tokens + BlockSize - 1) / BlockSize;
        if (blocks == s.AllocBlocks && s.Alloc > 0) return s.Alloc;
        s.AllocBlocks = blocks;
        return layout.Bytes(blocks * (double)BlockSize);
    }

    /// <summary>Whether the sequence can hold `need` bytes instead of what it holds now.</summary>
    public bool Fits(SimSequence s, double need) => Used - s.Alloc + need <= Capacity;

    public void Hold(SimSequence s, double need)
    {
        Used += need - s.Alloc;
        s.Alloc = need;
    }

    public void Free(SimSequence s)
    {
        Used -= s.Alloc;
        s.Alloc = 0;
    }

    public void NotePeak() => Peak = Math.Max(Peak, Used);

    /// <summary>Whether every sequence given, each holding blocks for Computed + ahead tokens, fits at once.</summary>
    public bool FitsAhead(IEnumerable<SimSequence> seqs, int ahead)
    {
        double total = 0;
        foreach (var s in seqs)
        {
            var tokens = s.Computed + ahead;
            total += layout.Bytes((tokens + BlockSize - 1) / BlockSize * (double)BlockSize);
        }
        return total <= Capacity;
    }
}
