namespace Micro.EndToEnd.Prediction.Simulation;

/// <summary>
/// vLLM v1's automatic prefix caching over the KV blocks of one replica: a full block of the prompt is keyed by its
/// content chained to its parent's key; a request skips prefill for its longest run of cached leading blocks (never
/// the whole prompt: the last token is always computed). Blocks referenced by no running request stay cached and are
/// evicted least recently used first when the pool needs room.
/// </summary>
internal sealed class PrefixCache(int blockSize)
{
    private sealed class Block(ulong key)
    {
        public readonly ulong Key = key;
        public int Refs;
        public LinkedListNode<Block>? Idle;
    }

    private readonly Dictionary<ulong, Block> _blocks = [];
    private readonly LinkedList<Block> _idle = new();

    public int Count => _blocks.Count;
    public int IdleCount => _idle.Count;
    public long QueriedTokens { get; private set; }
    public long HitTokens { get; private set; }

    /// <summary>The keys of the prompt's full blocks: block j is keyed by the chain of trace hashes up to the one covering its last token, and j.</summary>
    public ulong[] Keys(SimSequence s)
    {
        if (s.BlockKeys is { } k) return k;
        var hashes = s.HashIds!;
        var full = Math.Min(s.Prompt / blockSize, (int)Math.Min(int.MaxValue, (long)hashes.Length * s.HashBlockTokens / blockSize));
        var keys = new ulong[full];
        ulong chain = 0x6a09e667f3bcc908UL;
        var chained = -1;
        for (var j = 0; j < full; j++)
        {
            var chunk = (int)(((long)(j + 1) * blockSize - 1) / s.HashBlockTokens);
            while (chained < chunk) chain = Mix(chain, (ulong)(uint)hashes[++chained]);
            keys[j] = Mix(chain, (ulong)j);
        }
        return s.BlockKeys = keys;
    }

    /// <summary>How many leading blocks of the prompt are cached (at most all but its last token), and how many of those no request holds.</summary>
    public (int Hit, int Idle) Match(SimSequence s)
    {
        if (s.HashIds is not { Length: > 0 }) return (0, 0);
        var keys = Keys(s);
        var max = Math.Min(keys.Length, (s.Prompt - 1) / blockSize);
        int hit = 0, idle = 0;
        while (hit < max && _blocks.TryGetValue(keys[hit], out var b))
        {
            if (b.Refs == 0) idle++;
            hit++;
        }
        return (hit, idle);
    }

    /// <summary>The request now holds its first `count` blocks (they leave the idle list).</summary>
    public void Reference(SimSequence s, int count)
    {
        var keys = Keys(s);
        for (var j = 0; j < count; j++)
        {
            var b = _blocks[keys[j]];
            if (b.Idle is { } node) { _idle.Remove(node); b.Idle = null; }
            b.Refs++;
        }
    }

    /// <summary>Counts one admitted request's lookup: its prompt tokens, and those served from the cache.</summary>
    public void CountLookup(int promptTokens, int hitTokens)
    {
        QueriedTokens += promptTokens;
        HitTokens += hitTokens;
    }

    /// <summary>
    /// The request's blocks from `from` to its last full prompt block join the cache, held by it; returns how many
    /// were already cached by another request (their copy is freed).
    /// </summary>
    public int Insert(SimSequence s, int from)
    {
        var keys = Keys(s);
        var duplicates = 0;
        for (var j = from; j < keys.Length; j++)
        {
            if (_blocks.TryGetValue(keys[j], out var b))
            {
                if (b.Idle is { } node) { _idle.Remove(node); b.Idle = null; }
                duplicates++;
            }
            else _blocks[keys[j]] = b = new Block(keys[j]);
            b.Refs++;
        }
        return duplicates;
    }

    /// <summary>The request lets go of its first `count` blocks; unreferenced ones become evictable, the deepest first.</summary>
    public void Release(SimSequence s, int count)
    {
        var keys = Keys(s);
        for (var j = count - 1; j >= 0; j--)
        {
            var b = _blocks[keys[j]];
            if (--b.Refs == 0) b.Idle = _idle.AddLast(b);
        }
    }

    /// <summary>Drops the least recently used unreferenced block; false when none is left.</summary>
    public bool EvictOne()
    {
        if (_idle.First is not { } node) return false;
        _idle.RemoveFirst();
        _blocks.Remove(node.Value.Key);
        return true;
    }

    private static ulong Mix(ulong a, ulong b)
    {
        var x = a ^ (b + 0x9E3779B97F4A7C15UL + (a << 6) + (a >> 2));
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
