using Micro.Core.Models;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Prediction.StepParts;

/// <summary>
/// The linear layers of one step, weights divided over TP (experts over EP): each layer at the roofline of its bytes
/// at bandwidth_fraction of the profile's bandwidth and its FLOPs at gemm_fraction of the GEMM rate of its dtype (the
/// bf16 rate for groups the checkpoint keeps in the base dtype),
/// slowed by the measured efficiency of its shape at M rows (<see cref="GemmEfficiency"/>); MoE experts read
/// E(1-(1-k/E)^M) experts per layer. Memory-bound layers count as weight reads, compute-bound ones as compute.
/// </summary>
internal sealed class LinearLayersPart
{
    private readonly ModelConfig _model;
    private readonly WeightFormat _weights;
    private readonly DeviceProfile _device;
    private readonly int _tp, _ep;
    private readonly LinearLayer[] _groups;
    private readonly double[] _groupBytes;
    /// <summary>Groups the checkpoint keeps in the base dtype (modules_to_not_convert): computed at the bf16 rate.</summary>
    private readonly bool[] _groupKept;
    private readonly bool _expertsKept;
    private readonly double _expertParams, _expertBytes, _expertLayers, _smallBytes;
    private readonly int _experts, _topK;

    public LinearLayersPart(ModelConfig model, WeightFormat weights, DeviceProfile device, int tp, int ep, ParameterCount count)
    {
        (_model, _weights, _device, _tp, _ep) = (model, weights, device, tp, ep);
        _groups = LinearLayers.Of(model, tp, expertParallel: ep > 1).ToArray();
        _groupBytes = _groups.Select(g => BytesPerParameter(g.Role, weights)).ToArray();
        _groupKept = _groups.Select(g => KeptInBase(g.Role, weights)).ToArray();
        _expertsKept = KeptInBase(LinearRole.Expert, weights);
        Efficiency = new GemmEfficiency(_groups, device);
        (_experts, _topK, _expertLayers, _expertParams, _expertBytes) = (count.Experts, count.TopK, count.MoeLayers, count.PerExpert, weights.ExpertBytes);
        // Norms and the B embedding rows a step reads: small, at the base dtype.
        _smallBytes = count.Norms * weights.BaseBytes;
    }

    public GemmEfficiency Efficiency { get; }

    /// <summary>The linear layers' GEMM rate: the fp8 (or fp4) rate for quantized weights where the GPU has it, else bf16.</summary>
    public double GemmTflops => _device.Hardware.GemmTflopsFor(_weights.Quantized);

    private static double BytesPerParameter(LinearRole role, WeightFormat w) => role switch
    {
        LinearRole.Attention => w.AttentionBytes,
        LinearRole.Mlp => w.MlpBytes,
        LinearRole.Router => w.RouterBytes,
        LinearRole.Expert => w.ExpertBytes,
        _ => w.BaseBytes,
    };

    private static bool KeptInBase(LinearRole role, WeightFormat w) => role switch
    {
        LinearRole.Attention => !w.AttentionQuantized,
        LinearRole.Mlp => !w.MlpQuantized,
        LinearRole.Router => !w.RouterQuantized,
        LinearRole.Expert => !w.ExpertsQuantized,
        _ => false,
    };

    /// <summary>The GEMM rows of a group in a step of <paramref name="tokens"/> tokens: the sampled rows for lm_head, one expert's share for experts.</summary>
    private int Rows(int g, int tokens, int sampled) => _groups[g].Role switch
    {
        LinearRole.LmHead => sampled,
        LinearRole.Expert => LinearLayers.TokensPerExpert(_model, tokens),
        _ => tokens,
    };

    /// <summary>Where each linear layer's time came from at M rows, for the output.</summary>
    public IReadOnlyList<(string Layer, string Source)> Sources(int m)
    {
        for (var g = 0; g < _groups.Length; g++) Efficiency.At(g, Rows(g, m, m));
        return _groups.Select((gr, i) => (gr.Name, Efficiency.Source(i))).ToList();
    }

    /// <summary>Expected distinct experts M routed tokens touch in one MoE layer: E(1-(1-k/E)^M).</summary>
    public double ActiveExperts(int tokens) => LinearLayers.ActiveExperts(_experts, _topK, tokens);

    /// <summary>Seconds of weight reads and of compute for a step of <paramref name="tokens"/> rows, <paramref name="sampled"/> of them sampled.</summary>
    public (double Weights, double Compute) Cost(int tokens, int sampled, PhysicalParameters p)
    {
        var bw = _device.Hardware.BandwidthGBps * 1e9 * p.Bandwidth;
        var rate = GemmTflops * 1e12 * p.Gemm;
        var baseRate = _device.Hardware.GemmTflops * 1e12 * p.Gemm;
        double weights = 0, compute = 0, expertParams = 0, expertSlowdown = 0;
        for (var g = 0; g < _groups.Length; g++)
        {
            var grp = _groups[g];
            var rows = Rows(g, tokens, sampled);
            if (rows == 0) continue;
            if (grp.Role == LinearRole.Expert)
            {
                // The experts' bytes and FLOPs are counted below; here only their measured efficiency, by parameter share.
                expertParams += grp.Parameters;
                expertSlowdown += grp.Parameters / Efficiency.At(g, rows);
                continue;
            }
            var mem = grp.Parameters * (double)grp.Layers * _groupBytes[g] / bw;
            var flops = 2.0 * rows * grp.Parameters * grp.Layers / (_groupKept[g] ? baseRate : rate);
            var eff = Efficiency.At(g, rows);
            if (mem >= flops) weights += mem / eff; else compute += flops / eff;
        }
        if (_experts > 0 && tokens > 0)
        {
            // With EP over more ranks than TP each rank's experts also serve the other data-parallel ranks' tokens (as many, in step).
            var active = ActiveExperts(_ep > _tp ? tokens * (_ep / _tp) : tokens);
            var split = _ep > 1 ? _ep : _tp;
            var mem = active * _expertParams * _expertLayers * _expertBytes / split / bw;
            var flops = 2.0 * tokens * _topK * _expertParams * _expertLayers / _tp / (_expertsKept ? baseRate : rate);
            var eff = expertSlowdown > 0 ? expertParams / expertSlowdown : 1.0;
            if (mem >= flops) weights += mem / eff; else compute += flops / eff;
        }
        weights += (_smallBytes + tokens * (double)_model.HiddenSize * _weights.BaseBytes) / _tp / bw;
        return (weights, compute);
    }
}
