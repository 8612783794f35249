namespace Micro.EndToEnd.Prediction.Simulation;

/// <summary>
/// vLLM v1's automatic prefix caching over the KV blocks of one replica: a full block of the prompt is keyed by its
/// content chained to its parent's key; a request skips prefill for its longest run of cached leading blocks (never
/// the whole prompt: the last token is always computed). Blocks referenced by no running request stay cached and are
/// evicted least recently used first when the pool needs room.
/// </summary>
internal sealed class PrefixCache(int blockSize)
{
    // Millions of blocks pass through a replay of long prompts: blocks live in one array of structs (slot 0 heads the
    // circular idle list, oldest first) found through an open-addressing table of (key, slot) entries, so a block costs
    // no allocation and a lookup probes adjacent entries instead of a dictionary entry, a Block object and a list node.
    private struct Slot
    {
        public ulong Key;
        /// <summary>Requests holding the block; -1 marks a free slot.</summary>
        public int Refs;
        /// <summary>Neighbours on the idle list (-1 when not on it).</summary>
        public int Prev, Next;
    }

    private Slot[] _slots = new Slot[1024];
    private int _used = 1;
    private readonly Stack<int> _free = new();
    private readonly record struct Entry(ulong Key, int Slot);

    /// <summary>Open addressing with linear probing, at most half full; Slot 0 marks an empty entry.</summary>
    private Entry[] _table = new Entry[2048];

    public int Count { get; private set; }
    public int IdleCount { get; private set; }
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
        while (hit < max && Find(keys[hit]) is var b and > 0)
        {
            if (_slots[b].Refs == 0) idle++;
            hit++;
        }
        return (hit, idle);
    }

    /// <summary>The request now holds its first `count` blocks (they leave the idle list).</summary>
    public void Reference(SimSequence s, int count)
    {
        var keys = Keys(s);
        for (var j = 0; j < count; j++) Hold(Find(keys[j]));
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
            var b = FindOrAdd(keys[j], out var added);
            if (!added) duplicates++;
            Hold(b);
        }
        return duplicates;
    }

    /// <summary>The request lets go of its first `count` blocks; unreferenced ones become evictable, the deepest first.</summary>
    public void Release(SimSequence s, int count)
    {
        var keys = Keys(s);
        for (var j = count - 1; j >= 0; j--)
        {
            var b = Find(keys[j]);
            if (--_slots[b].Refs == 0) Link(b);
        }
    }

    /// <summary>Drops the least recently used unreferenced block; false when none is left.</summary>
    public bool EvictOne()
    {
        var b = _slots[0].Next;
        if (b == 0) return false;
        Unlink(b);
        Remove(_slots[b].Key);
        _slots[b].Refs = -1;
        _free.Push(b);
        Count--;
        return true;
    }

    /// <summary>A request takes a reference to block b (it leaves the idle list if it was there).</summary>
    private void Hold(int b)
    {
        if (_slots[b].Refs++ == 0 && _slots[b].Prev >= 0) Unlink(b);
    }

    private void Link(int b)
    {
        var last = _slots[0].Prev;
        _slots[b].Prev = last;
        _slots[b].Next = 0;
        _slots[last].Next = b;
        _slots[0].Prev = b;
        IdleCount++;
    }

    private void Unlink(int b)
    {
        ref var s = ref _slots[b];
        _slots[s.Prev].Next = s.Next;
        _slots[s.Next].Prev = s.Prev;
        s.Prev = s.Next = -1;
        IdleCount--;
    }

    /// <summary>The slot holding key, or 0. Keys are mixed hashes already: their low bits index the table.</summary>
    private int Find(ulong key)
    {
        var mask = _table.Length - 1;
        for (var i = (int)key & mask; ; i = (i + 1) & mask)
        {
            ref var e = ref _table[i];
            if (e.Slot == 0 || e.Key == key) return e.Slot;
        }
    }

    /// <summary>The slot holding key, or a new block for it (referenced by nobody yet, on no list) placed where the probe ended.</summary>
    private int FindOrAdd(ulong key, out bool added)
    {
        if (2 * (Count + 1) > _table.Length) Rehash(_table.Length * 2);
        var mask = _table.Length - 1;
        var i = (int)key & mask;
        for (; _table[i].Slot != 0; i = (i + 1) & mask)
            if (_table[i].Key == key) { added = false; return _table[i].Slot; }
        var b = _free.Count > 0 ? _free.Pop() : _used++;
        if (b >= _slots.Length) Array.Resize(ref _slots, _slots.Length * 2);
        _slots[b] = new Slot { Key = key, Refs = 0, Prev = -1, Next = -1 };
        _table[i] = new Entry(key, b);
        Count++;
        added = true;
        return b;
    }

    private void Place(ulong key, int b)
    {
        var mask = _table.Length - 1;
        var i = (int)key & mask;
        while (_table[i].Slot != 0) i = (i + 1) & mask;
        _table[i] = new Entry(key, b);
    }

    /// <summary>Deletes key from the linear-probing table, shifting later entries of its run back into the gap.</summary>
    private void Remove(ulong key)
    {
        var mask = _table.Length - 1;
        var i = (int)key & mask;
        while (_table[i].Key != key || _table[i].Slot == 0) i = (i + 1) & mask;
        for (var j = (i + 1) & mask; _table[j].Slot != 0; j = (j + 1) & mask)
        {
            var home = (int)_table[j].Key & mask;
            // The entry at j may move to the gap at i only if its home is not cyclically inside (i, j].
            if (((j - home) & mask) >= ((j - i) & mask))
            {
                _table[i] = _table[j];
                i = j;
            }
        }
        _table[i] = default;
    }

    private void Rehash(int size)
    {
        _table = new Entry[size];
        for (var b = 1; b < _used; b++)
            if (_slots[b].Refs >= 0) Place(_slots[b].Key, b);
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
