namespace Micro.EndToEnd.Prediction.Simulation;

/// <summary>
/// The KV cache of one replica (per GPU): sequences hold whole blocks of BlockSize tokens; a sequence's own bytes are
/// recomputed only when its block count changes. Bytes rather than a block count, because a sliding-window layer's KV
/// does not grow with the context. With prefix caching, the prompt's full blocks move to the shared cache once
/// computed; cached blocks count against the same capacity, and unreferenced ones are evicted (LRU) to make room.
/// </summary>
internal sealed class KvBlockManager
{
    private readonly KvLayout _layout;
    private readonly double _blockBytes;
    private double _own;

    public KvBlockManager(KvLayout layout, int blockSize, double capacityBytes, bool prefixCaching)
    {
        _layout = layout;
        BlockSize = blockSize;
        Capacity = capacityBytes;
        _blockBytes = layout.Bytes(blockSize);
        Cache = prefixCaching ? new PrefixCache(blockSize) : null;
    }

    public double Capacity { get; }
    public int BlockSize { get; }
    public PrefixCache? Cache { get; }
    private double CachedBytes => Cache is null ? 0 : Cache.Count * _blockBytes;
    private double EvictableBytes => Cache is null ? 0 : Cache.IdleCount * _blockBytes;
    public double Used => _own + CachedBytes;
    public double Peak { get; private set; }

    /// <summary>KV bytes of whole blocks holding `tokens` for this sequence, less its blocks in the shared cache.</summary>
    public double Need(SimSequence s, int tokens)
    {
        var blocks = (tokens + BlockSize - 1) / BlockSize;
        if (blocks == s.AllocBlocks && s.Alloc > 0) return s.Alloc;
        s.AllocBlocks = blocks;
        return Own(s, blocks);
    }

    private double Own(SimSequence s, int blocks)
    {
        var bytes = _layout.Bytes(blocks * (double)BlockSize);
        return s.SharedBlocks == 0 ? bytes : Math.Max(0, bytes - s.SharedBlocks * _blockBytes);
    }

    /// <summary>Whether the sequence can hold `need` bytes instead of what it holds now (evicting idle cached blocks).</summary>
    public bool Fits(SimSequence s, double need) => Used - s.Alloc + need <= Capacity + EvictableBytes - s.PendingIdle * _blockBytes;

    public void Hold(SimSequence s, double need)
    {
        if (s.SharedBlocks > 0 && !s.SharedHeld)
        {
            Cache!.Reference(s, s.SharedBlocks);
            s.SharedHeld = true;
            s.PendingIdle = 0;
        }
        _own += need - s.Alloc;
        s.Alloc = need;
        while (Cache is not null && Used > Capacity && Cache.EvictOne()) { }
    }

    /// <summary>The sequence lets go of everything: its own blocks, and its references to cached ones.</summary>
    public void Free(SimSequence s)
    {
        _own -= s.Alloc;
        s.Alloc = 0;
        if (s.SharedBlocks > 0 && s.SharedHeld) Cache!.Release(s, s.SharedBlocks);
        s.SharedBlocks = 0;
        s.SharedHeld = false;
        s.PendingIdle = 0;
        s.Registered = false;
    }

    /// <summary>
    /// A waiting request tried for admission: the cached leading blocks it would share and skip (referenced only when
    /// Hold admits it, as vLLM touches cached blocks only when it allocates); returns the tokens skipped.
    /// </summary>
    public int Attach(SimSequence s)
    {
        if (Cache is null || s.Computed != 0 || s.HashIds is null) return 0;
        var (hit, idle) = Cache.Match(s);
        if (hit == 0) return 0;
        s.SharedBlocks = hit;
        s.SharedHeld = false;
        s.PendingIdle = idle;
        s.AllocBlocks = 0;
        return hit * BlockSize;
    }

    /// <summary>Undoes Attach for a request that was not admitted after all.</summary>
    public void Detach(SimSequence s)
    {
        if (s.SharedBlocks == 0) return;
        if (s.SharedHeld) Cache!.Release(s, s.SharedBlocks);
        s.SharedBlocks = 0;
        s.SharedHeld = false;
        s.PendingIdle = 0;
        s.AllocBlocks = 0;
    }

    /// <summary>The prompt is computed: its full blocks join the cache (a block another request cached meanwhile is shared, this copy freed).</summary>
    public void Register(SimSequence s)
    {
        if (Cache is null || s.Registered || s.HashIds is null) return;
        s.Registered = true;
        var keys = Cache.Keys(s);
        if (keys.Length <= s.SharedBlocks) return;
        Cache.Insert(s, s.SharedBlocks);
        s.SharedBlocks = keys.Length;
        s.SharedHeld = true;
        var own = Own(s, s.AllocBlocks);
        _own += own - s.Alloc;
        s.Alloc = own;
    }

    public void NotePeak() => Peak = Math.Max(Peak, Used);

    /// <summary>
    /// Whether every sequence given, each holding blocks for Computed + ahead tokens, fits at once beside the cached
    /// blocks some request holds: idle cached blocks are evicted for room, as Fits allows step by step.
    /// </summary>
    public bool FitsAhead(ReadOnlySpan<(SimSequence Seq, int Tokens)> seqs, int ahead)
    {
        double total = 0;
        foreach (var (s, _) in seqs) total += Own(s, (s.Computed + ahead + BlockSize - 1) / BlockSize);
        return total + CachedBytes - EvictableBytes <= Capacity;
    }
}
