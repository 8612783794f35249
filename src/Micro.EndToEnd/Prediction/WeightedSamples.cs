namespace Micro.EndToEnd.Prediction;

/// <summary>
/// Samples stored as (value, count): every decode token of one step has the same inter-token gap, so ten million
/// ITLs are a few hundred thousand pairs. Percentiles interpolate linearly between ranks as numpy does.
/// </summary>
public sealed class WeightedSamples
{
    private readonly List<(double Value, long Count)> _items = [];
    private bool _sorted = true;

    public long Count { get; private set; }
    public double Sum { get; private set; }
    private double _sumSq;

    public void Add(double value, long count = 1)
    {
        if (count <= 0) return;
        if (_items.Count > 0 && value < _items[^1].Value) _sorted = false;
        _items.Add((value, count));
        Count += count;
        Sum += value * count;
        _sumSq += value * value * count;
    }

    public double Mean => Count == 0 ? 0 : Sum / Count;
    /// <summary>Population standard deviation (np.std).</summary>
    public double Std => Count == 0 ? 0 : Math.Sqrt(Math.Max(0, _sumSq / Count - Mean * Mean));

    public double Percentile(double p)
    {
        if (Count == 0) return 0;
        if (!_sorted) { _items.Sort((a, b) => a.Value.CompareTo(b.Value)); _sorted = true; }
        var rank = p / 100 * (Count - 1);
        var lo = (long)Math.Floor(rank);
        var frac = rank - lo;
        var a = At(lo);
        return frac == 0 ? a : a + (At(Math.Min(lo + 1, Count - 1)) - a) * frac;
    }

    private double At(long rank)
    {
        long seen = 0;
        foreach (var (v, c) in _items)
        {
            seen += c;
            if (rank < seen) return v;
        }
        return _items[^1].Value;
    }
}
