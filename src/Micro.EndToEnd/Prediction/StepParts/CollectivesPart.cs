using System.Collections.Concurrent;
using Micro.Core.Models;
using Micro.Core.Results.Points;

namespace Micro.EndToEnd.Prediction.StepParts;

/// <summary>
/// The collectives of one step. With expert parallelism inside the replica's TP ranks (EP at most TP: one data-parallel
/// rank) two all_reduce of the step's activations per layer, as under TP alone: vLLM uses all_to_all dispatch only
/// with more than one data-parallel rank (FusedMoEParallelConfig.use_all2all_kernels is dp_size > 1 and use_ep); with
/// one, every rank holds every token and the experts' partial outputs are summed by the same all_reduce. With EP over
/// more ranks than TP (DP attention, the replica one data-parallel rank of the EP group): one all_reduce per layer over
/// TP (attention) plus one per dense-MLP layer, and per MoE layer an all_to_all dispatch and combine over the EP ranks
/// of this rank's tokens x top-k activations (bf16). Each from the profile's measured collectives at that size and
/// rank count, else the prior: collective_latency_us (+ per doubling of ranks) plus bus bytes at interconnect_fraction
/// of the datasheet link those ranks share (<see cref="CollectiveReach"/>: the scale-up interconnect, PCIe past it inside
/// one server; a deployment spanning servers needs measured points). Not modelled: the data-parallel ranks waiting for each other (their step is the
/// slowest rank's).
/// </summary>
internal sealed class CollectivesPart(ModelConfig model, DeviceProfile device, int tp, int ep, int moeLayers, int topK)
{
    // Shared by the calibration's parallel simulations and by every parameter set.
    private readonly ConcurrentDictionary<(string Op, int Ranks), List<CollectivePoint>> _points = new();
    private readonly CollectiveReach _tpReach = CollectiveReach.For(device, tp), _epReach = CollectiveReach.For(device, ep);

    private CollectiveReach Reach(int ranks) => ranks == tp ? _tpReach : ranks == ep ? _epReach : CollectiveReach.For(device, ranks);

    private bool MeasuredOver(string op, int ranks) => device.Collectives.Count(c => c.Op == op && c.Ranks == ranks) >= 2;

    /// <summary>Why a collective of this step has no figure, or null: one that is not measured and spans more GPUs than
    /// the datasheet's links reach (<see cref="CollectiveReach"/>); the flag it is about is --tp or --ep.</summary>
    public (string Flag, int Ranks, string Reason)? Unreachable()
    {
        if (tp > 1 && !MeasuredOver("all_reduce", tp) && Reach(tp).Refusal is { } r) return ("--tp", tp, "all_reduce: " + r);
        if (ep > tp && !MeasuredOver("alltoall", ep) && Reach(ep).Refusal is { } a) return ("--ep", ep, "all_to_all: " + a);
        return null;
    }

    public double Cost(int tokens, PhysicalParameters p)
    {
        if (tokens == 0) return 0;
        var bytes = (long)tokens * model.HiddenSize * 2;
        var allReduce = tp > 1 ? Seconds("all_reduce", bytes, tp, p) : 0;
        if (ep <= tp) return 2 * model.NumLayers * allReduce;
        return (2 * model.NumLayers - moeLayers) * allReduce + 2 * moeLayers * Seconds("alltoall", bytes * topK, ep, p);
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
        var bw = (Reach(ranks).Link?.Value ?? 0) * p.Interconnect;
        return p.CollectiveLatencySeconds(ranks) + (bw > 0 ? bytes * factor / (bw * 1e9) : 0);
    }

    /// <summary>Whether the profile holds measured all_reduce points for this TP (then the latency parameters are not used).</summary>
    public bool Measured => MeasuredOver("all_reduce", tp);

    public string Source(PhysicalParameters p) => ep > tp
        ? (tp > 1 ? AllReduceSource(p) + "; " : "") + $"all_to_all dispatch and combine over the {ep} EP ranks per MoE layer ({(MeasuredOver("alltoall", ep) ? "measured" : "latency and " + BusBytes(ep, p))})"
        : AllReduceSource(p);

    private string AllReduceSource(PhysicalParameters p) => tp <= 1 ? "no collectives (TP 1)"
        : Measured
            ? $"measured all_reduce over {tp} ranks ({device.ResultsFile})"
            : $"not measured: {p.CollectiveLatencySeconds(tp) * 1e6:0.#} us latency per all_reduce over {tp} ranks (collective_latency_us + collective_latency_per_doubling_us) + {BusBytes(tp, p)}";

    /// <summary>How an unmeasured collective over these ranks moves its bytes: the fraction of the link they share, and its source.</summary>
    private string BusBytes(int ranks, PhysicalParameters p)
    {
        var link = Reach(ranks).Link;
        return $"bus bytes at {p.Interconnect:0.##} x {link?.Value ?? 0:0} GB/s ({link?.Source ?? "no link"})";
    }
}
