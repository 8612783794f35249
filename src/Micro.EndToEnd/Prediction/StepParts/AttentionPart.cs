using Micro.Core.Models;
using Micro.Core.Results.Points;

namespace Micro.EndToEnd.Prediction.StepParts;

/// <summary>
/// Attention of one step: decode reads the KV of every decoding sequence at the measured decode-attention GB/s of the
/// nearest context (MLA points for an MLA model), else at the memory bandwidth, times bandwidth_fraction; prefill chunks
/// compute their causal (query, key) pairs at the measured prefill TFLOP/s of the nearest length, else the GEMM rate,
/// times gemm_fraction, heads divided over TP.
/// </summary>
internal sealed class AttentionPart(ModelConfig model, DeviceProfile device, int tp)
{
    private readonly double _flopsPerPair = 2.0 * model.NumAttentionHeads * (model.QkHeadDim + (model.IsMla ? model.VHeadDim ?? model.HeadDim : model.HeadDim));

    /// <summary>Decode attention GB/s at a context: the nearest measured native point, else the memory bandwidth (roofline).</summary>
    public double DecodeGBps(double context) => NearestRate(device.DecodeAttentionFor(model.IsMla), context, device.Hardware.BandwidthGBps);

    /// <summary>Causal prefill attention TFLOP/s: the nearest measured native point, else the GEMM rate.</summary>
    public double PrefillTflops(int length) => NearestRate(device.PrefillAttention, length, device.Hardware.GemmTflops);

    /// <summary>Seconds of decode KV reads and of prefill attention in a step.</summary>
    public (double Kv, double Prefill) Cost(in StepLoad load, PhysicalParameters p)
    {
        var kv = load.KvReadBytes / (DecodeGBps(load.DecodeSeqs > 0 ? load.DecodeContextSum / load.DecodeSeqs : 0) * 1e9 * p.Bandwidth);
        var prefill = load.PrefillAttentionFlops > 0
            ? load.PrefillAttentionFlops * _flopsPerPair / tp / (PrefillTflops(load.LongestPrefillContext) * 1e12 * p.Gemm)
            : 0;
        return (kv, prefill);
    }

    public string DecodeSource => device.DecodeAttentionFor(model.IsMla).Count > 0
        ? "measured decode attention GB/s at the nearest context: " + string.Join("; ", device.DecodeAttentionFor(model.IsMla).Select(p => $"{p.Case} {p.Rate:0} GB/s"))
        : "roofline: KV bytes at the memory bandwidth (no decode attention measured)";

    public string PrefillSource => device.PrefillAttention.Count > 0
        ? "measured causal prefill TFLOP/s at the nearest length: " + string.Join("; ", device.PrefillAttention.Select(p => $"{p.Case} {p.Rate:0.#} TFLOP/s"))
        : "roofline: attention FLOPs at the GEMM rate (no prefill attention measured)";

    /// <summary>The rate of the point whose length is nearest on a log scale; the fallback when nothing was measured.</summary>
    private static double NearestRate(IReadOnlyList<AttentionPoint> points, double length, double fallback)
    {
        if (points.Count == 0) return fallback;
        var target = Math.Max(1.0, length);
        var best = points[0];
        var bestD = double.MaxValue;
        // A loop, not MinBy: this runs in every simulated step.
        for (var i = 0; i < points.Count; i++)
        {
            var d = Math.Abs(Math.Log(points[i].Length / target));
            if (d < bestD) { bestD = d; best = points[i]; }
        }
        return best.Rate;
    }
}
