namespace Micro.EndToEnd.Prediction;

/// <summary>How a fitted value is carried to another GPU, parallelism or workload.</summary>
public enum CarryRule
{
    /// <summary>The value means the same on every GPU (host CPU time, a latency of the software stack): carried as is.</summary>
    AsIs,
    /// <summary>A fraction of the profile's figure: as is between profiles of the same kind (datasheet or measured), else
    /// rescaled by the ratio of the two kinds' priors (a measured ceiling is already nearer what serving achieves).</summary>
    FractionOfProfile,
    /// <summary>Replaced by the target profile's own measurement where it has one; else carried as is.</summary>
    MeasuredElseAsIs,
}

/// <summary>One named physical parameter of the step model: its physical range, what it means, how it carries over, and
/// where its prior comes from; Assumed when that prior is an assumption rather than a published or measured figure.</summary>
public sealed record ParameterSpec(string Name, string Unit, double Min, double Max, string Meaning, CarryRule Carry, string PriorSource, bool Assumed = false);

/// <summary>
/// The named parameters of the step model, one per part of a step, each with its own scaling law (so a value fitted on one
/// GPU, TP or workload means the same on another): HBM reads at a fraction of the profile's bandwidth; linear layers
/// and prefill attention at a fraction of the GEMM rate of their dtype; per collective a latency that grows with
/// log2(ranks) plus bus bytes at a fraction of the interconnect; per kernel a launch (CUDA-graph replay) cost; host
/// CPU time per step and per sequence (does not change with the GPU); front-end work per request and per streamed token.
/// </summary>
public sealed record PhysicalParameters
{
    public static readonly IReadOnlyList<ParameterSpec> Specs =
    [
        new("bandwidth_fraction", "", 0.05, 1.05, "fraction of the profile's memory bandwidth that a step's weight and KV reads achieve", CarryRule.FractionOfProfile,
            "datasheet profile 0.80 (aiconfigurator's empirical HBM scaling factor for Hopper, mem_bw_empirical_scaling_factor 0.8); measured profile 0.90 (decode GEMV reads vs the measured copy)"),
        new("gemm_fraction", "", 0.02, 1.05, "fraction of the profile's GEMM rate (of the weights' dtype) that linear layers and prefill attention achieve at large M", CarryRule.FractionOfProfile,
            "datasheet profile 0.60 (dense fp8/bf16 GEMMs of LLM shapes reach about 60-70% of the dense datasheet rate); measured profile 0.85"),
        new("collective_latency_us", "us", 0, 500, "latency of one all_reduce between 2 ranks (vLLM custom all-reduce or NCCL), independent of its bytes", CarryRule.MeasuredElseAsIs,
            "8 us (NVLink one-shot all-reduce latency, a few to a few tens of us; DESIGN.md)"),
        new("collective_latency_per_doubling_us", "us", 0, 200, "added latency of one collective per doubling of its ranks beyond 2 (more peers to synchronise)", CarryRule.MeasuredElseAsIs,
            "2 us (assumption: tree/multi-peer synchronisation grows with log2 of the ranks)", Assumed: true),
        new("interconnect_fraction", "", 0.05, 1.05, "fraction of the datasheet scale-up interconnect (per direction) that collectives' bus bytes achieve", CarryRule.FractionOfProfile,
            "0.80 (nccl-tests issue 212: about 370 GB/s ring all_reduce busbw on 8 x H100 SXM of 450 GB/s per direction)"),
        new("kernel_launch_us", "us", 0, 50, "GPU time of one kernel launch in a decode step replayed from a CUDA graph (launch gap plus the smallest kernel's duration)", CarryRule.MeasuredElseAsIs,
            "the profile's measured graph replay; else 1.0 us (Micro's H100 profile of 2026-11-22: 0.97 us per graph-replayed kernel)"),
        new("step_overhead_ms", "ms", 0, 200, "host CPU time of every engine step that the GPU waits on (scheduling, input preparation, sampling)", CarryRule.AsIs,
            "1.0 ms (assumption: vLLM v1's scheduler, input preparation and sampler on a server CPU)", Assumed: true),
        new("per_sequence_overhead_us", "us", 0, 2000, "host CPU time per running sequence in every step (sampling, detokenization, scheduling)", CarryRule.AsIs,
            "10 us (assumption)", Assumed: true),
        new("prefill_overhead_ms", "ms", 0, 10000, "per-request front-end work before its prefill is scheduled (HTTP, tokenization, routing; disaggregated: the proxy's hops)", CarryRule.AsIs,
            "10 ms (assumption: HTTP and tokenization of a few thousand tokens)", Assumed: true),
        new("frontend_us_per_token", "us", 0, 1000, "front-end (API server, proxy) time per streamed output token: streaming X tok/s keeps it busy X*t of the time, which stretches each request's front-end work by 1/(1-X*t)", CarryRule.AsIs,
            "0 (no front-end contention assumed)", Assumed: true),
    ];

    public const int BandwidthFraction = 0, GemmFraction = 1, CollectiveLatency = 2, CollectiveLatencyPerDoubling = 3, InterconnectFraction = 4,
        KernelLaunch = 5, StepOverhead = 6, PerSequenceOverhead = 7, PrefillOverhead = 8, FrontendPerToken = 9;

    /// <summary>Values in Specs order, in the spec's units.</summary>
    public required double[] Values { get; init; }

    public double Bandwidth => Values[BandwidthFraction];
    public double Gemm => Values[GemmFraction];
    public double Interconnect => Values[InterconnectFraction];
    public double KernelLaunchSeconds => Values[KernelLaunch] / 1e6;
    public double StepOverheadSeconds => Values[StepOverhead] / 1e3;
    public double PerSequenceSeconds => Values[PerSequenceOverhead] / 1e6;
    public double PrefillOverheadSeconds => Values[PrefillOverhead] / 1e3;
    public double FrontendSecondsPerToken => Values[FrontendPerToken] / 1e6;

    /// <summary>Latency of one collective over <paramref name="ranks"/> ranks: the 2-rank latency plus one step per doubling beyond 2.</summary>
    public double CollectiveLatencySeconds(int ranks) =>
        (Values[CollectiveLatency] + Values[CollectiveLatencyPerDoubling] * Math.Max(0, Math.Log2(Math.Max(2, ranks)) - 1)) / 1e6;

    public PhysicalParameters With(int index, double value)
    {
        var v = (double[])Values.Clone();
        v[index] = value;
        return new PhysicalParameters { Values = v };
    }

    /// <summary>The prior of a fraction on a datasheet or a measured profile (the two figures of its PriorSource).</summary>
    public static double FractionPrior(int index, bool measured) => index switch
    {
        BandwidthFraction => measured ? 0.90 : 0.80,
        GemmFraction => measured ? 0.85 : 0.60,
        InterconnectFraction => 0.80,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Priors: chosen so an uncalibrated prediction is already useful; each says where it came from (PriorSource).</summary>
    public static PhysicalParameters Prior(bool measuredProfile) => new()
    {
        Values =
        [
            FractionPrior(BandwidthFraction, measuredProfile), FractionPrior(GemmFraction, measuredProfile), 8, 2, FractionPrior(InterconnectFraction, measuredProfile),
            1.0, 1.0, 10, 10, 0,
        ],
    };

    public static int IndexOf(string name)
    {
        for (var i = 0; i < Specs.Count; i++) if (Specs[i].Name == name) return i;
        return -1;
    }
}
