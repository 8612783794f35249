namespace Micro.EndToEnd.Prediction;

/// <summary>
/// Samples stored as (value, count): every decode token of one step has the same inter-token gap, so ten million
/// ITLs are a few hundred thousand pairs. Percentiles interpolate linearly between ranks as numpy does.
/// </summary>
public sealed class WeightedSamples
{
    // Chunks of 4096 pairs (64 KiB) stay below the large-object heap: one list per step grown by doubling put every
    // simulation's samples on it, and a calibration's thousands of simulations then ran a full collection each.
    private const int ChunkSize = 4096;
    private readonly List<(double Value, long Count)[]> _chunks = [];
    private int _fill = ChunkSize;
    private bool _sorted = true;
    private double _last = double.NegativeInfinity;

    /// <summary>False: only count, sum and spread are kept (mean and std exact, no percentiles), for simulations whose
    /// inter-token percentiles nobody reads (calibration).</summary>
    public bool KeepsPairs { get; init; } = true;

    public long Count { get; private set; }
    public double Sum { get; private set; }
    private double _sumSq;

    /// <summary>Stored (value, count) pairs.</summary>
    public int Pairs => _chunks.Count == 0 ? 0 : (_chunks.Count - 1) * ChunkSize + _fill;

    public void Add(double value, long count = 1)
    {
        if (count <= 0) return;
        Count += count;
        Sum += value * count;
        _sumSq += value * value * count;
        if (!KeepsPairs) return;
        if (value < _last) _sorted = false;
        _last = value;
        if (_fill == ChunkSize)
        {
            _chunks.Add(new (double, long)[ChunkSize]);
            _fill = 0;
        }
        _chunks[^1][_fill++] = (value, count);
    }

    public double Mean => Count == 0 ? 0 : Sum / Count;
    /// <summary>Population standard deviation (np.std).</summary>
    public double Std => Count == 0 ? 0 : Math.Sqrt(Math.Max(0, _sumSq / Count - Mean * Mean));

    public double Percentile(double p)
    {
        if (Count == 0) return 0;
        if (!KeepsPairs) throw new InvalidOperationException("this simulation kept no inter-token samples: only their mean and spread");
        if (!_sorted) Sort();
        var rank = p / 100 * (Count - 1);
        var lo = (long)Math.Floor(rank);
        var frac = rank - lo;
        var a = At(lo);
        return frac == 0 ? a : a + (At(Math.Min(lo + 1, Count - 1)) - a) * frac;
    }

    /// <summary>Sorts the pairs by value across chunks (one flat copy, only when a percentile is asked for).</summary>
    private void Sort()
    {
        var all = new (double Value, long Count)[Pairs];
        for (var i = 0; i < _chunks.Count; i++)
            Array.Copy(_chunks[i], 0, all, i * ChunkSize, i == _chunks.Count - 1 ? _fill : ChunkSize);
        Array.Sort(all, (a, b) => a.Value.CompareTo(b.Value));
        for (var i = 0; i < _chunks.Count; i++)
            Array.Copy(all, i * ChunkSize, _chunks[i], 0, i == _chunks.Count - 1 ? _fill : ChunkSize);
        _sorted = true;
        _last = all[^1].Value;
    }

    private double At(long rank)
    {
        long seen = 0;
        for (var i = 0; i < _chunks.Count; i++)
        {
            var chunk = _chunks[i];
            var n = i == _chunks.Count - 1 ? _fill : ChunkSize;
            for (var j = 0; j < n; j++)
            {
                seen += chunk[j].Count;
                if (rank < seen) return chunk[j].Value;
            }
        }
        return _last;
    }
}
