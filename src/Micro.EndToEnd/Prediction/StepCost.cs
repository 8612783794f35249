namespace Micro.EndToEnd.Prediction;

/// <summary>What one engine step carries: decode sequences, prefill chunk tokens, the KV it reads and the attention FLOPs of its chunks.</summary>
public readonly record struct StepLoad(int DecodeSeqs, int PrefillTokens, int PrefillSeqs, int Sampled, double KvReadBytes, double DecodeContextSum,
    double PrefillAttentionFlops, int LongestPrefillContext)
{
    public int Tokens => DecodeSeqs + PrefillTokens;
    public int Sequences => DecodeSeqs + PrefillSeqs;
}

/// <summary>Seconds of one step by where they go (the `breakdown` of prediction.json, in ms there).</summary>
public readonly record struct StepCost(double Weights, double Kv, double Compute, double Attention, double Collectives, double Overhead)
{
    public double Total => Weights + Kv + Compute + Attention + Collectives + Overhead;

    public static StepCost operator +(StepCost a, StepCost b) =>
        new(a.Weights + b.Weights, a.Kv + b.Kv, a.Compute + b.Compute, a.Attention + b.Attention, a.Collectives + b.Collectives, a.Overhead + b.Overhead);

    public StepCost Scale(double f) => new(Weights * f, Kv * f, Compute * f, Attention * f, Collectives * f, Overhead * f);
}
