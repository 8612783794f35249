using Micro.Core.Models;
using Micro.Core.Results;
using Micro.Core.Results.Points;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Prediction;

/// <summary>
/// Time of one engine step as the sum of its parts, each "measured, else roofline, else prior" and saying which
/// (StepParts/): the linear layers' GEMMs (<see cref="StepParts.LinearLayersPart"/>, with the measured efficiency of each
/// shape, <see cref="StepParts.GemmEfficiency"/>), decode and prefill attention (<see cref="StepParts.AttentionPart"/>),
/// TP/EP collectives (<see cref="StepParts.CollectivesPart"/>) and host overheads with kernel launches
/// (<see cref="StepParts.HostOverheadPart"/>). The parts keep what does not depend on the physical parameters (shapes,
/// measured points, caches), so <see cref="With"/> shares them.
/// </summary>
public sealed class StepTimeModel
{
    /// <summary>Kernels in one decode step per layer (norms, QKV, rope, attention, O, MLP/experts, residuals) plus the lm_head/sampler tail.</summary>
    public const int KernelsPerLayer = StepParts.HostOverheadPart.KernelsPerLayer, KernelsPerStepTail = StepParts.HostOverheadPart.KernelsPerStepTail;

    private readonly StepParts.LinearLayersPart _linear;
    private readonly StepParts.AttentionPart _attention;
    private readonly StepParts.CollectivesPart _collectives;
    private readonly StepParts.HostOverheadPart _host;

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
        _linear = new StepParts.LinearLayersPart(model, weights, device, tp, ep, Count);
        _attention = new StepParts.AttentionPart(model, device, tp);
        _collectives = new StepParts.CollectivesPart(model, device, tp, ep, Count.MoeLayers, Count.TopK);
        _host = new StepParts.HostOverheadPart(model.NumLayers);
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
        (_linear, _attention, _collectives, _host) = (o._linear, o._attention, o._collectives, o._host);
    }

    /// <summary>The head rules of tensor parallelism (<see cref="LinearLayers.CheckHeads"/>).</summary>
    public static void CheckHeads(ModelConfig m, int tp) => LinearLayers.CheckHeads(m, tp);

    /// <summary>The linear layers' cost of the last step priced: consecutive decode steps of one batch repeat it (one
    /// reference, written whole, so simulations sharing this model on other threads read a consistent one).</summary>
    private sealed record LinearMemo(int Tokens, int Sampled, double Weights, double Compute);

    private LinearMemo? _linearMemo;

    public StepCost Cost(in StepLoad load)
    {
        var memo = _linearMemo;
        if (memo is null || memo.Tokens != load.Tokens || memo.Sampled != load.Sampled)
        {
            var (w, c) = _linear.Cost(load.Tokens, load.Sampled, Parameters);
            _linearMemo = memo = new LinearMemo(load.Tokens, load.Sampled, w, c);
        }
        var (weights, compute) = (memo.Weights, memo.Compute);
        var (kv, attention) = _attention.Cost(load, Parameters);
        return new StepCost(weights, kv, compute, attention, _collectives.Cost(load.Tokens, Parameters), _host.Cost(load, Parameters));
    }

    /// <summary>The linear layers' GEMM rate: the fp8 rate for fp8 weights where known, else bf16.</summary>
    public double GemmTflops => _linear.GemmTflops;

    /// <summary>Where each linear layer's time came from, for the output.</summary>
    public IReadOnlyList<(string Layer, string Source)> LinearSources(int m) => _linear.Sources(m);

    /// <summary>Expected distinct experts M routed tokens touch in one MoE layer: E(1-(1-k/E)^M).</summary>
    public double ActiveExperts(int tokens) => _linear.ActiveExperts(tokens);

    /// <summary>Decode attention GB/s at a context: the nearest measured native point, else the memory bandwidth (roofline).</summary>
    public double DecodeAttentionGBps(double context) => _attention.DecodeGBps(context);

    /// <summary>Causal prefill attention TFLOP/s: the nearest measured native point, else the GEMM rate.</summary>
    public double PrefillAttentionTflops(int length) => _attention.PrefillTflops(length);

    /// <summary>Two all_reduce of the step's activations per layer over the TP ranks; all_to_all only for EP over more ranks than TP (<see cref="StepParts.CollectivesPart"/>).</summary>
    public double Collectives(int tokens) => _collectives.Cost(tokens, Parameters);

    /// <summary>One collective from the profile's measurements, else the parameters' latency and interconnect fraction.</summary>
    public double CollectiveSeconds(string op, long bytes, int ranks) => _collectives.Seconds(op, bytes, ranks, Parameters);

    /// <summary>Whether the profile holds measured all_reduce points for this TP (then the latency parameters are not used).</summary>
    public bool CollectivesMeasured => _collectives.Measured;

    /// <summary>A collective of this step that has no figure (spans servers, not measured): the flag, its ranks and why; else null.</summary>
    public (string Flag, int Ranks, string Reason)? CollectiveUnreachable => _collectives.Unreachable();

    /// <summary>Where the collective figures come from, for the output.</summary>
    public string CollectiveSource => _collectives.Source(Parameters);

    /// <summary>Kernels of one step: per layer (norms, QKV, rope, attention, O, MLP/experts, residuals) plus the lm_head/sampler tail.</summary>
    public int KernelsPerStep => _host.KernelsPerStep;

    public string DecodeAttentionSource => _attention.DecodeSource;

    public string PrefillAttentionSource => _attention.PrefillSource;

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
