using Micro.Core.Models;

namespace Micro.EndToEnd.Prediction;

/// <summary>
/// KV-cache bytes of one sequence per GPU, fast enough to call for every sequence of every simulated step:
/// full-attention layers hold the whole context, sliding-window layers min(context, window); GQA splits by KV head
/// over min(TP, n_kv) ranks, MLA's latent is replicated.
/// </summary>
public sealed class KvLayout
{
    private readonly int _fullLayers;
    private readonly (int Window, int Layers)[] _windows;
    private readonly double _bytesPerTokenLayer;

    public KvLayout(ModelConfig m, double kvBytesPerElement, int kvSplit)
    {
        _fullLayers = m.LayerWindows.Count(w => w is null);
        _windows = m.LayerWindows.Where(w => w is not null).GroupBy(w => w!.Value).Select(g => (g.Key, g.Count())).ToArray();
        _bytesPerTokenLayer = m.KvElementsPerTokenPerLayer * kvBytesPerElement / kvSplit;
        Split = kvSplit;
    }

    public int Split { get; }

    /// <summary>No sliding windows: bytes are proportional to the context, so a sum of contexts can be priced at once.</summary>
    public bool Linear => _windows.Length == 0;

    /// <summary>KV bytes per GPU one sequence at this context reads (or holds).</summary>
    public double Bytes(double context)
    {
        var tokens = _fullLayers * context;
        foreach (var (w, n) in _windows) tokens += n * Math.Min(context, w);
        return tokens * _bytesPerTokenLayer;
    }

    /// <summary>Bytes per GPU of one block of full-attention KV (what vLLM's block count is reported in).</summary>
    public double BytesPerToken => (_fullLayers + _windows.Sum(w => w.Layers)) * _bytesPerTokenLayer;

    /// <summary>Key-query pairs summed over layers of a prefill chunk of n tokens starting at offset s (causal; windows clip).</summary>
    public double ChunkPairs(double s, double n)
    {
        var pairs = _fullLayers * (n * s + n * n / 2);
        foreach (var (w, count) in _windows) pairs += count * n * Math.Min(s + n / 2, w);
        return pairs;
    }
}
