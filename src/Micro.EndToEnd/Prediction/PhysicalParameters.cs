namespace Micro.EndToEnd.Prediction;

/// <summary>One named physical parameter of the step model: its prior, its physical range and what it means.</summary>
public sealed record ParameterSpec(string Name, string Unit, double Min, double Max, string Meaning);

/// <summary>
/// The few named parameters calibration may fit (everything else comes from the measured profile and the model config):
/// the fraction of measured bandwidth and GEMM rate the serving engine achieves, a fixed per-step overhead, a
/// per-sequence per-step overhead, a per-request front-end overhead, and the front-end's time per streamed token.
/// </summary>
public sealed record PhysicalParameters
{
    public static readonly IReadOnlyList<ParameterSpec> Specs =
    [
        new("bandwidth_fraction", "", 0.05, 1.05, "fraction of the measured memory bandwidth a step's weight and KV reads achieve"),
        new("gemm_fraction", "", 0.02, 1.05, "fraction of the measured GEMM rate the linear layers and prefill attention achieve"),
        new("step_overhead_ms", "ms", 0, 200, "fixed host/launch cost of every engine step"),
        new("per_sequence_overhead_us", "us", 0, 2000, "per-sequence cost of every step (sampling, scheduling, input preparation)"),
        new("prefill_overhead_ms", "ms", 0, 10000, "per-request front-end work before its prefill is scheduled (HTTP, tokenization, routing; disaggregated: the proxy's hops)"),
        new("frontend_us_per_token", "us", 0, 1000, "front-end (API server, proxy) time per streamed output token: streaming X tok/s keeps it busy X*t of the time, which stretches each request's front-end work by 1/(1-X*t)"),
    ];

    public const int BandwidthFraction = 0, GemmFraction = 1, StepOverhead = 2, PerSequenceOverhead = 3, PrefillOverhead = 4, FrontendPerToken = 5;

    /// <summary>Values in Specs order, in the spec's units.</summary>
    public required double[] Values { get; init; }

    public double Bandwidth => Values[BandwidthFraction];
    public double Gemm => Values[GemmFraction];
    public double StepOverheadSeconds => Values[StepOverhead] / 1e3;
    public double PerSequenceSeconds => Values[PerSequenceOverhead] / 1e6;
    public double PrefillOverheadSeconds => Values[PrefillOverhead] / 1e3;
    public double FrontendSecondsPerToken => Values[FrontendPerToken] / 1e6;

    public PhysicalParameters With(int index, double value)
    {
        var v = (double[])Values.Clone();
        v[index] = value;
        return new PhysicalParameters { Values = v };
    }

    /// <summary>Priors: the measured figures taken at face value, the launch cost of the step's kernels, no other overhead.</summary>
    public static PhysicalParameters Prior(double stepOverheadMs) => new() { Values = [1.0, 1.0, stepOverheadMs, 0, 0, 0] };

    public static int IndexOf(string name)
    {
        for (var i = 0; i < Specs.Count; i++) if (Specs[i].Name == name) return i;
        return -1;
    }
}
