using System.Collections.Concurrent;
using Micro.Core.Models;
using Micro.Core.Results.Points;

namespace Micro.EndToEnd.Prediction.StepParts;

/// <summary>
/// The collectives of one step: two all_reduce of the step's activations per layer over the replica's TP ranks (after
/// attention's o_proj and after the MLP or the experts). Expert parallelism inside a replica changes none of them: vLLM
/// uses all_to_all dispatch only with more than one data-parallel rank (FusedMoEParallelConfig.use_all2all_kernels is
/// dp_size > 1 and use_ep); with one, every rank holds every token and the experts' partial outputs are summed by the
/// same all_reduce as under TP. Each from the profile's measured collectives at that size and rank count, else the
/// prior: collective_latency_us (+ per doubling of ranks) plus bus bytes at interconnect_fraction of the datasheet
/// interconnect.
/// </summary>
internal sealed class CollectivesPart(ModelConfig model, DeviceProfile device, int tp)
{
    // Shared by the calibration's parallel simulations and by every parameter set.
    private readonly ConcurrentDictionary<(string Op, int Ranks), List<CollectivePoint>> _points = new();

    public double Cost(int tokens, PhysicalParameters p)
    {
        if (tp <= 1 || tokens == 0) return 0;
        var bytes = (long)tokens * model.HiddenSize * 2;
        return 2 * model.NumLayers * Seconds("all_reduce", bytes, tp, p);
    }

    /// <summary>Measured time at this size and rank count (linear between the two nearest sizes), else the parameters'
    /// latency (growing with log2 of the ranks) plus bus bytes at their fraction of the datasheet interconnect.</summary>
    public double Seconds(string op, long bytes, int ranks, PhysicalParameters p)
    {
        var pts = _points.GetOrAdd((op, ranks), k => device.Collectives.Where(c => c.Op == k.Op && c.Ranks == k.Ranks).OrderBy(c => c.Bytes).ToList());
        if (pts.Count >= 2)
        {
            var i = 0;
            while (i < pts.Count - 2 && pts[i + 1].Bytes < bytes) i++;
            var (a, b) = (pts[i], pts[i + 1]);
            var t = a.Seconds + (b.Seconds - a.Seconds) * (bytes - a.Bytes) / Math.Max(1, b.Bytes - a.Bytes);
            return Math.Max(t, Math.Min(a.Seconds, b.Seconds));
        }
        var factor = op == "all_reduce" ? 2.0 * (ranks - 1) / ranks : (ranks - 1.0) / ranks;
        var bw = device.InterconnectGBps.Value * p.Interconnect;
        return p.CollectiveLatencySeconds(ranks) + (bw > 0 ? bytes * factor / (bw * 1e9) : 0);
    }

    /// <summary>Whether the profile holds measured all_reduce points for this TP (then the latency parameters are not used).</summary>
    public bool Measured => device.Collectives.Count(c => c.Op == "all_reduce" && c.Ranks == tp) >= 2;

    public string Source(PhysicalParameters p) => tp <= 1 ? "no collectives (TP 1)"
        : Measured
            ? $"measured all_reduce over {tp} ranks ({device.ResultsFile})"
            : $"not measured: {p.CollectiveLatencySeconds(tp) * 1e6:0.#} us latency per all_reduce over {tp} ranks (collective_latency_us + collective_latency_per_doubling_us) + bus bytes at {p.Interconnect:0.##} x {device.InterconnectGBps.Value:0} GB/s ({device.InterconnectGBps.Source})";
}
