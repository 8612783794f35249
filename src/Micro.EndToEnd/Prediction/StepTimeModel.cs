using Micro.Core.Models;
using Micro.Core.Results;
using Micro.Core.Results.Points;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Prediction;

/// <summary>
/// Time of one engine step, op by op per layer, from the measured profile: each linear layer's GEMM (the roofline of
/// measured bandwidth and GEMM rate, scaled by the measured efficiency of that exact per-GPU shape interpolated over M, else
/// of the nearest measured shape; the layers and their shapes are <see cref="LinearLayers"/>, the list `micro gemm --model` measures),
/// MoE experts read E(1-(1-k/E)^M), decode attention at the measured GB/s of the nearest context, prefill attention at
/// the measured causal TFLOP/s, TP all_reduce x2 per layer (EP: all_to_all x2 per MoE layer) from measured collectives
/// else the datasheet interconnect, and the fixed and per-sequence overheads. Weights and FLOPs divide over TP.
/// </summary>
public sealed class StepTimeModel
{
    /// <summary>Kernels in one decode step per layer (norms, QKV, rope, attention, O, MLP/experts, residuals) plus the lm_head/sampler tail.</summary>
    public const int KernelsPerLayer = 12, KernelsPerStepTail = 6;

    private readonly LinearLayer[] _groups;
    private readonly double[] _groupBytes;
    private readonly double[][] _efficiency;
    private readonly string[] _groupSources;
    private readonly double _expertParams, _expertBytes, _expertLayers;
    private readonly int _experts, _topK;
    private readonly double _smallBytes;
    private readonly double _attnFlopsPerPair;
    // Shared by the calibration's parallel simulations and by every With().
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Op, int Ranks), List<CollectivePoint>> _collectivePoints = new();

    public StepTimeModel(ModelConfig model, WeightFormat weights, DeviceProfile device, int tp, int ep, double kvBytesPerElement, PhysicalParameters parameters)
    {
        Model = model;
        Weights = weights;
        Device = device;
        TensorParallel = tp;
        ExpertParallel = ep;
        Parameters = parameters;
        KvBytesPerElement = kvBytesPerElement;
        CheckHeads(model, tp);
        if (ep > 1 && (!model.IsMoe || model.NumExperts!.Value % ep != 0))
            throw new InputException("--ep", ep.ToString(System.Globalization.CultureInfo.InvariantCulture), model.IsMoe ? $"must divide the {model.NumExperts} experts" : "expert parallelism needs an MoE model");
        Count = ParameterCounter.Count(model);
        Kv = new KvLayout(model, kvBytesPerElement, model.IsMla ? 1 : Math.Max(1, Math.Min(tp, model.NumKeyValueHeads)));
        _groups = LinearLayers.Of(model, tp, expertParallel: ep > 1).ToArray();
        _groupBytes = _groups.Select(g => BytesPerParameter(g.Role, weights)).ToArray();
        _efficiency = new double[_groups.Length][];
        _groupSources = new string[_groups.Length];
        for (var g = 0; g < _groups.Length; g++) _groupSources[g] = "roofline (no measured GEMM of a near shape)";
        _experts = Count.Experts;
        _topK = Count.TopK;
        _expertLayers = Count.MoeLayers;
        _expertParams = Count.PerExpert;
        _expertBytes = weights.ExpertBytes;
        // Norms and the B embedding rows a step reads: small, at the base dtype.
        _smallBytes = Count.Norms * weights.BaseBytes;
        double dv = model.IsMla ? model.VHeadDim ?? model.HeadDim : model.HeadDim;
        _attnFlopsPerPair = 2.0 * model.NumAttentionHeads * (model.QkHeadDim + dv);
    }

    public ModelConfig Model { get; }
    public WeightFormat Weights { get; }
    public DeviceProfile Device { get; }
    public int TensorParallel { get; }
    public int ExpertParallel { get; }
    public PhysicalParameters Parameters { get; }
    public ParameterCount Count { get; }
    public KvLayout Kv { get; }

    public double KvBytesPerElement { get; }

    /// <summary>The same model under other physical parameters: layers, shapes and the measured-efficiency caches (which do not depend on them) are shared.</summary>
    public StepTimeModel With(PhysicalParameters p) => new(this, p);

    private StepTimeModel(StepTimeModel o, PhysicalParameters parameters)
    {
        (Model, Weights, Device, TensorParallel, ExpertParallel, KvBytesPerElement, Count, Kv) =
            (o.Model, o.Weights, o.Device, o.TensorParallel, o.ExpertParallel, o.KvBytesPerElement, o.Count, o.Kv);
        Parameters = parameters;
        (_groups, _groupBytes, _efficiency, _groupSources, _collectivePoints) = (o._groups, o._groupBytes, o._efficiency, o._groupSources, o._collectivePoints);
        (_expertParams, _expertBytes, _expertLayers, _experts, _topK, _smallBytes, _attnFlopsPerPair) =
            (o._expertParams, o._expertBytes, o._expertLayers, o._experts, o._topK, o._smallBytes, o._attnFlopsPerPair);
    }

    /// <summary>The head rules of tensor parallelism (<see cref="LinearLayers.CheckHeads"/>).</summary>
    public static void CheckHeads(ModelConfig m, int tp) => LinearLayers.CheckHeads(m, tp);

    private static double BytesPerParameter(LinearRole role, WeightFormat w) => role switch
    {
        LinearRole.Attention => w.AttentionBytes,
        LinearRole.Mlp => w.MlpBytes,
        LinearRole.Router => w.RouterBytes,
        LinearRole.Expert => w.ExpertBytes,
        _ => w.BaseBytes,
    };

    private double Bw => Device.Hardware.BandwidthGBps * 1e9 * Parameters.Bandwidth;
    private double Rate => GemmTflops * 1e12 * Parameters.Gemm;

    /// <summary>The linear layers' GEMM rate: the fp8 rate for fp8 weights where known, else bf16.</summary>
    public double GemmTflops => Device.Hardware.GemmTflopsFor(Weights.Quantized);

    /// <summary>Roofline seconds of one GEMM at the profile's ceilings (no calibration factors): max(bytes / BW, flops / rate).</summary>
    private double Roofline(double m, double n, double k, double bytesPerParam) =>
        Math.Max(n * k * bytesPerParam / (Device.Hardware.BandwidthGBps * 1e9), 2 * m * n * k / (Device.Hardware.GemmTflops * 1e12));

    /// <summary>
    /// Measured efficiency (roofline / measured time) of group <paramref name="g"/> at M = <paramref name="m"/>: from the
    /// points of its exact per-GPU shape (same N and K) interpolated over M on a log scale between the two nearest measured
    /// M (the nearest one outside their range), else from the nearest measured shape (N and K within 2x; not for experts), else 1.
    /// </summary>
    private double Efficiency(int g, int m)
    {
        var row = _efficiency[g] ??= new double[1 << 14];
        if (m < row.Length && row[m] > 0) return row[m];
        // Experts take only their own measured shape (`micro gemm --model`): a dense layer's shape says little about them.
        var e = ExactShapeEfficiency(g, m) ?? (_groups[g].Role == LinearRole.Expert ? null : NearShapeEfficiency(g, m)) ?? 1.0;
        if (m < row.Length) row[m] = e;
        return e;
    }

    private double? ExactShapeEfficiency(int g, int m)
    {
        var grp = _groups[g];
        // One point per M (the fastest where a shape was measured more than once: the library's best for it).
        var points = Device.Gemm.Where(p => p.Dtype == GemmDtype.Bf16 && p.N == grp.N && p.K == grp.K).GroupBy(p => p.M)
            .Select(s => s.MinBy(p => p.Seconds)!).OrderBy(p => p.M).ToList();
        if (points.Count == 0) return null;
        var target = Math.Max(1, m);
        var lo = points.LastOrDefault(p => p.M <= target);
        var hi = points.FirstOrDefault(p => p.M >= target);
        double e;
        if (lo is null || hi is null || lo.M == hi.M)
        {
            var p = lo ?? hi!;
            e = Math.Clamp(Roofline(p.M, p.N, p.K, 2) / p.Seconds, 0.05, 1.0);
            _groupSources[g] = p.M == target
                ? $"measured {p.Case} at M={p.M}, this exact shape (efficiency {e:0.00} of the roofline)"
                : $"measured {p.Case} at M={p.M}, this exact shape, the nearest measured M to {target} (efficiency {e:0.00} of the roofline)";
            return e;
        }
        var f = Math.Log((double)target / lo.M) / Math.Log((double)hi.M / lo.M);
        var seconds = Math.Exp(Math.Log(lo.Seconds) + f * (Math.Log(hi.Seconds) - Math.Log(lo.Seconds)));
        e = Math.Clamp(Roofline(target, grp.N, grp.K, 2) / seconds, 0.05, 1.0);
        _groupSources[g] = $"measured {lo.Case} at M={lo.M} and {hi.Case} at M={hi.M}; interpolated at M={target} (log scale, efficiency {e:0.00} of the roofline)";
        return e;
    }

    private double? NearShapeEfficiency(int g, int m)
    {
        var grp = _groups[g];
        GemmPoint? best = null;
        var bestD = double.MaxValue;
        foreach (var p in Device.Gemm)
        {
            if (p.Dtype != GemmDtype.Bf16) continue;
            // Near = N and K within 2x of this layer's (per-GPU) shape; M as near as measured.
            var dn = Math.Abs(Math.Log((double)p.N / grp.N));
            var dk = Math.Abs(Math.Log((double)p.K / grp.K));
            if (dn > Math.Log(2) || dk > Math.Log(2)) continue;
            var d = dn + dk + Math.Abs(Math.Log((double)p.M / Math.Max(1, m)));
            if (d < bestD) { bestD = d; best = p; }
        }
        if (best is null) return null;
        var e = Math.Clamp(Roofline(best.M, best.N, best.K, 2) / best.Seconds, 0.05, 1.0);
        _groupSources[g] = $"measured GEMM point {best.Case} nearest shape (efficiency {e:0.00} of the roofline)";
        return e;
    }

    /// <summary>The GEMM rows of a group in a step of <paramref name="tokens"/> tokens: the sampled rows for lm_head, one expert's share for experts.</summary>
    private int Rows(int g, int tokens, int sampled) => _groups[g].Role switch
    {
        LinearRole.LmHead => sampled,
        LinearRole.Expert => LinearLayers.TokensPerExpert(Model, tokens),
        _ => tokens,
    };

    /// <summary>Where each linear layer's time came from, for the output.</summary>
    public IReadOnlyList<(string Layer, string Source)> LinearSources(int m)
    {
        for (var g = 0; g < _groups.Length; g++) Efficiency(g, Rows(g, m, m));
        return _groups.Select((gr, i) => (gr.Name, _groupSources[i])).ToList();
    }

    /// <summary>Expected distinct experts M routed tokens touch in one MoE layer: E(1-(1-k/E)^M).</summary>
    public double ActiveExperts(int tokens) => LinearLayers.ActiveExperts(_experts, _topK, tokens);

    public StepCost Cost(in StepLoad load)
    {
        double weights = 0, compute = 0;
        var m = load.Tokens;
        double expertParams = 0, expertSlowdown = 0;
        for (var g = 0; g < _groups.Length; g++)
        {
            var grp = _groups[g];
            var rows = Rows(g, m, load.Sampled);
            if (rows == 0) continue;
            if (grp.Role == LinearRole.Expert)
            {
                // The experts' bytes and FLOPs are counted below; here only their measured efficiency, by parameter share.
                expertParams += grp.Parameters;
                expertSlowdown += grp.Parameters / Efficiency(g, rows);
                continue;
            }
            var mem = grp.Parameters * (double)grp.Layers * _groupBytes[g] / Bw;
            var flops = 2.0 * rows * grp.Parameters * grp.Layers / Rate;
            var eff = Efficiency(g, rows);
            if (mem >= flops) weights += mem / eff; else compute += flops / eff;
        }
        if (_experts > 0 && m > 0)
        {
            var active = ActiveExperts(m);
            var split = ExpertParallel > 1 ? ExpertParallel : TensorParallel;
            var mem = active * _expertParams * _expertLayers * _expertBytes / split / Bw;
            var flops = 2.0 * m * _topK * _expertParams * _expertLayers / TensorParallel / Rate;
            var eff = expertSlowdown > 0 ? expertParams / expertSlowdown : 1.0;
            if (mem >= flops) weights += mem / eff; else compute += flops / eff;
        }
        weights += (_smallBytes + m * (double)Model.HiddenSize * Weights.BaseBytes) / TensorParallel / Bw;
        var kv = load.KvReadBytes / (DecodeAttentionGBps(load.DecodeSeqs > 0 ? load.DecodeContextSum / load.DecodeSeqs : 0) * 1e9 * Parameters.Bandwidth);
        var attention = load.PrefillAttentionFlops > 0
            ? load.PrefillAttentionFlops * _attnFlopsPerPair / TensorParallel / (PrefillAttentionTflops(load.LongestPrefillContext) * 1e12 * Parameters.Gemm)
            : 0;
        var collectives = Collectives(m);
        var overhead = Parameters.StepOverheadSeconds + Parameters.PerSequenceSeconds * load.Sequences + Parameters.KernelLaunchSeconds * KernelsPerStep;
        return new StepCost(weights, kv, compute, attention, collectives, overhead);
    }

    /// <summary>Decode attention GB/s at a context: the nearest measured native point, else the memory bandwidth (roofline).</summary>
    public double DecodeAttentionGBps(double context) => NearestRate(Device.DecodeAttentionFor(Model.IsMla), context, Device.Hardware.BandwidthGBps);

    /// <summary>Causal prefill attention TFLOP/s: the nearest measured native point, else the GEMM rate.</summary>
    public double PrefillAttentionTflops(int length) => NearestRate(Device.PrefillAttention, length, Device.Hardware.GemmTflops);

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

    /// <summary>TP: two all_reduce of the step's activations per layer; EP: one all_reduce (attention) plus two all_to_all per MoE layer.</summary>
    public double Collectives(int tokens)
    {
        if (TensorParallel <= 1 || tokens == 0) return 0;
        var bytes = (long)tokens * Model.HiddenSize * 2;
        if (ExpertParallel > 1)
            return Model.NumLayers * CollectiveSeconds("all_reduce", bytes, TensorParallel)
                   + Count.MoeLayers * 2 * CollectiveSeconds("alltoall", bytes * _topK, ExpertParallel);
        return 2 * Model.NumLayers * CollectiveSeconds("all_reduce", bytes, TensorParallel);
    }

    /// <summary>Measured time at this size and rank count (linear between the two nearest sizes), else the parameters'
    /// latency (growing with log2 of the ranks) plus bus bytes at their fraction of the datasheet interconnect.</summary>
    public double CollectiveSeconds(string op, long bytes, int ranks)
    {
        var pts = _collectivePoints.GetOrAdd((op, ranks), k => Device.Collectives.Where(p => p.Op == k.Op && p.Ranks == k.Ranks).OrderBy(p => p.Bytes).ToList());
        if (pts.Count >= 2)
        {
            var i = 0;
            while (i < pts.Count - 2 && pts[i + 1].Bytes < bytes) i++;
            var (a, b) = (pts[i], pts[i + 1]);
            var t = a.Seconds + (b.Seconds - a.Seconds) * (bytes - a.Bytes) / Math.Max(1, b.Bytes - a.Bytes);
            return Math.Max(t, Math.Min(a.Seconds, b.Seconds));
        }
        var factor = op == "all_reduce" ? 2.0 * (ranks - 1) / ranks : (ranks - 1.0) / ranks;
        var bw = Device.InterconnectGBps.Value * Parameters.Interconnect;
        return Parameters.CollectiveLatencySeconds(ranks) + (bw > 0 ? bytes * factor / (bw * 1e9) : 0);
    }

    /// <summary>Whether the profile holds measured all_reduce points for this TP (then the latency parameters are not used).</summary>
    public bool CollectivesMeasured => Device.Collectives.Count(p => p.Op == "all_reduce" && p.Ranks == TensorParallel) >= 2;

    /// <summary>Where the collective figures come from, for the output.</summary>
    public string CollectiveSource => TensorParallel <= 1 ? "no collectives (TP 1)"
        : CollectivesMeasured
            ? $"measured all_reduce over {TensorParallel} ranks ({Device.ResultsFile})"
            : $"not measured: {Parameters.CollectiveLatencySeconds(TensorParallel) * 1e6:0.#} us latency per all_reduce over {TensorParallel} ranks (collective_latency_us + collective_latency_per_doubling_us) + bus bytes at {Parameters.Interconnect:0.##} x {Device.InterconnectGBps.Value:0} GB/s ({Device.InterconnectGBps.Source})";

    /// <summary>Kernels of one step: per layer (norms, QKV, rope, attention, O, MLP/experts, residuals) plus the lm_head/sampler tail.</summary>
    public int KernelsPerStep => KernelsPerLayer * Model.NumLayers + KernelsPerStepTail;

    public string DecodeAttentionSource => Device.DecodeAttentionFor(Model.IsMla).Count > 0
        ? "measured decode attention GB/s at the nearest context: " + string.Join("; ", Device.DecodeAttentionFor(Model.IsMla).Select(p => $"{p.Case} {p.Rate:0} GB/s"))
        : "roofline: KV bytes at the memory bandwidth (no decode attention measured)";

    public string PrefillAttentionSource => Device.PrefillAttention.Count > 0
        ? "measured causal prefill TFLOP/s at the nearest length: " + string.Join("; ", Device.PrefillAttention.Select(p => $"{p.Case} {p.Rate:0.#} TFLOP/s"))
        : "roofline: attention FLOPs at the GEMM rate (no prefill attention measured)";

    /// <summary>Weight bytes stored per GPU (every parameter: decode may touch any expert).</summary>
    public double WeightBytesPerGpu
    {
        get
        {
            var c = Count;
            var w = Weights;
            var expertSplit = ExpertParallel > 1 ? ExpertParallel : TensorParallel;
            var dense = ((c.Tied ? 0 : c.Embedding) + c.LmHead + c.Norms) * w.BaseBytes + c.Attention * w.AttentionBytes + c.Router * w.RouterBytes + c.DenseMlp * w.MlpBytes;
            return dense / TensorParallel + c.RoutedExperts * w.ExpertBytes / expertSplit;
        }
    }
}
