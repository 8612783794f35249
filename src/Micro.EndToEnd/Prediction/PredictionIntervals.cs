namespace Micro.EndToEnd.Prediction;

/// <summary>The spread of one metric's calibration residuals: N (run, metric) pairs, P fitted parameters, and the RMS of log(predicted / measured).</summary>
public sealed record MetricSpread(string Metric, int N, int P, double RmsLog);

/// <summary>What the calibration runs covered, to tell whether a target differs from every one of them.</summary>
public sealed record CalibrationCoverage(IReadOnlyList<string> Gpus, IReadOnlyList<int> TensorParallel, IReadOnlyList<string> Quantizations, IReadOnlyList<int[]> Workloads);

/// <summary>A target of a prediction, in the terms the interval widens on (Concurrency: a closed loop's, null for an open one;
/// StreamTokensPerSecond: the output tokens/s the front-end streams there while the batch decodes (<see cref="PredictionIntervals.Stream"/>), where known).</summary>
public sealed record IntervalTarget(string Gpu, int TensorParallel, string Quantization, int Isl, int Osl, int? Concurrency = null, double? StreamTokensPerSecond = null);

/// <summary>
/// The interval of a predicted median (90% nominal): predicted x exp(+-1.645 s), where s combines (in quadrature) the
/// calibration's residual spread of that metric (log scale, inflated by sqrt(N / (N - P)) for the fitted parameters) and,
/// for each way the target differs from every calibration run (another GPU, TP, weight dtype or workload), a stated
/// transfer spread; TTFT at a prompt length the calibration never saw, when all its runs had one, adds
/// <see cref="PromptLengthSpread"/>; a TP the calibration never saw, when all its runs had one, adds
/// <see cref="TensorParallelSpread"/>; a closed loop outside the calibrated concurrencies adds <see cref="LoadSpreadPerDoubling"/>
/// per doubling; TTFT where the front-end streams more than any calibration run did adds <see cref="FrontendLoadSpread"/>.
/// Without a calibration the prior spread is used. Metrics without a spread of their own borrow the
/// nearest fitted one (E2EL and request throughput follow TPOT and output throughput).
/// </summary>
public sealed class PredictionIntervals
{
    public const double Z90 = 1.645;

    /// <summary>Log-scale spread of an uncalibrated prediction (assumption: the priors are typical values, not fitted): TPOT and throughput 0.25, TTFT 0.40.</summary>
    public static double PriorSpread(string metric) => Family(metric) == "ttft" ? 0.40 : 0.25;

    /// <summary>Stated transfer spreads (log scale) per dimension in which the target differs from every calibration run.
    /// Assumptions, not fitted to any held-out run: another GPU 0.10 (TTFT 0.20), another TP 0.05 (0.10), another weight dtype 0.10 (0.15), another workload 0.05 (0.10).</summary>
    public static double TransferSpread(string dimension, string metric)
    {
        var ttft = Family(metric) == "ttft";
        return dimension switch
        {
            "gpu" => ttft ? 0.20 : 0.10,
            "tp" => ttft ? 0.10 : 0.05,
            "quantization" => ttft ? 0.15 : 0.10,
            "workload" => ttft ? 0.10 : 0.05,
            _ => 0,
        };
    }

    /// <summary>Stated spread (log scale) per doubling of concurrency beyond the calibration runs' range, either way: TPOT and
    /// throughput 0.10, TTFT 0.30. Set on two sets that are not among the reported checks (Qwen3-32B on H100, calibrated at
    /// c8-16 and checked at c32-128: 0.07 and 0.26 per doubling; the xhw H100 1k/1k calibration runs, calibrated at c4-16
    /// and checked at c32-64: 0.12 and 0.35): what only high concurrency shows (per-sequence host time, KV reads, batch
    /// shape) is barely seen by low-concurrency runs, and the other way round.</summary>
    public static double LoadSpreadPerDoubling(string metric) => Family(metric) == "ttft" ? 0.30 : 0.10;

    private readonly IReadOnlyList<MetricSpread>? _spreads;
    private readonly CalibrationCoverage? _coverage;
    private readonly (int Min, int Max)? _concurrencies;
    private readonly double _frontendSecondsPerToken;
    private readonly double? _calibratedStream;

    /// <param name="concurrencies">The calibration runs' closed-loop concurrencies (none: no load term).</param>
    /// <param name="frontendSecondsPerToken">The fitted front-end time per streamed token (0: no front-end term).</param>
    /// <param name="calibratedStream">The most output tokens/s any calibration run streamed while decoding (measured, <see cref="Stream"/>; none: no front-end term).</param>
    public PredictionIntervals(IReadOnlyList<MetricSpread>? spreads, CalibrationCoverage? coverage, IEnumerable<int>? concurrencies = null,
        double frontendSecondsPerToken = 0, double? calibratedStream = null)
    {
        _spreads = spreads;
        _coverage = coverage;
        var cs = concurrencies?.Where(c => c > 0).ToList();
        _concurrencies = cs is { Count: > 0 } ? (cs.Min(), cs.Max()) : null;
        SinglePromptLength = OnePromptLength(coverage);
        SingleTensorParallel = coverage is { TensorParallel: [var tp] } && tp > 0 ? tp : null;
        _frontendSecondsPerToken = double.IsFinite(frontendSecondsPerToken) ? Math.Max(0, frontendSecondsPerToken) : 0;
        _calibratedStream = calibratedStream is > 0 and var x && double.IsFinite(x) ? x : null;
    }

    /// <summary>The intervals of a calibration file (written by this command or applied with --calibration): its spreads,
    /// coverage and closed-loop concurrencies, its front-end time per token and the most its runs streamed (from their
    /// measured residuals); without one, the prior spread.</summary>
    public static PredictionIntervals Of(CalibrationFile? f) => f is null
        ? new(null, null)
        : new(f.Spreads, f.Coverage, f.Runs.Where(r => r.RequestRate is null).Select(r => r.Concurrency).OfType<int>(),
            (f.Parameters.FirstOrDefault(p => p.Name == PhysicalParameters.Specs[PhysicalParameters.FrontendPerToken].Name)?.Value ?? 0) / 1e6,
            f.Runs.Select(r => (double?)Stream(r.RequestRate is null ? r.Concurrency : null, Measured(f, r.Source, "median_tpot_ms"), Measured(f, r.Source, "output_throughput"))).Max());

    private static double? Measured(CalibrationFile f, string source, string metric) =>
        f.Residuals.FirstOrDefault(r => r.Source == source && r.Metric == metric && r.Measured > 0)?.Measured;

    /// <summary>
    /// The output tokens/s a front-end streams while the batch decodes: a closed loop's C sequences one token each per
    /// median TPOT (a run's average throughput hides it behind its TTFTs and prefills, and a front-end that the model
    /// saturates lowers that average in turn); an open loop's output throughput. Null where neither is known.
    /// </summary>
    public static double? Stream(int? concurrency, double? medianTpotMs, double? outputThroughput) =>
        concurrency is > 0 and var c && medianTpotMs is > 0 and var tpot && double.IsFinite(tpot) ? c * 1000.0 / tpot
        : outputThroughput is > 0 and var x && double.IsFinite(x) ? x : null;

    /// <summary>
    /// TTFT's extra spread (log scale) where the front-end streams more tokens/s than any calibration run did: the fit saw
    /// the front-end's queueing (each request's front-end work stretched by 1/(1 - X t), X the stream, t the time per
    /// token) only up to the runs' stream, and the hyperbola beyond it is an extrapolation (a fit whose t explains TTFT
    /// growth made by something else saturates there, though real front-ends stream 13-22k tok/s). The spread is the log of
    /// the stretch at the target over the stretch at the calibration's most (utilization capped at the simulator's
    /// saturation), over z90: a TTFT whose front-end stretch stayed as calibrated lies inside the 90% interval. 0 for the
    /// other metrics, without a fitted t, or within the calibrated stream; it grows from 0 there, with no tolerance as the
    /// concurrency term has, because the hyperbola steepens fastest just where the calibration stopped.
    /// </summary>
    public double FrontendLoadSpread(string metric, double? streamTokensPerSecond)
    {
        if (Family(metric) != "ttft" || _frontendSecondsPerToken <= 0 || _calibratedStream is not { } xc
            || streamTokensPerSecond is not { } xt || !double.IsFinite(xt) || xt <= xc) return 0;
        var cap = ServingSimulator.MaxFrontendUtilization;
        var rc = Math.Min(cap, xc * _frontendSecondsPerToken);
        var rt = Math.Min(cap, xt * _frontendSecondsPerToken);
        return Math.Log((1 - rc) / (1 - rt)) / Z90;
    }

    /// <summary>The fitted front-end time per streamed token (seconds; 0 where none was fitted or nothing was calibrated).</summary>
    public double FrontendSecondsPerToken => _frontendSecondsPerToken;

    /// <summary>The most output tokens/s a calibration run streamed while decoding, where the fit has a front-end time per token (else null).</summary>
    public double? CalibratedStream => _frontendSecondsPerToken > 0 ? _calibratedStream : null;

    /// <summary>The calibration runs' concurrency range, null where none was a closed loop (or nothing was calibrated).</summary>
    public (int Min, int Max)? CalibratedConcurrencies => _spreads is null ? null : _concurrencies;

    /// <summary>Doublings of concurrency by which a closed-loop target lies outside the calibrated range (0 inside it,
    /// within a factor of 1.25 of its ends, or for an open loop).</summary>
    public double LoadDoublings(int? concurrency)
    {
        if (CalibratedConcurrencies is not { } r || concurrency is not { } c || c <= 0) return 0;
        var beyond = c > r.Max ? Math.Log2((double)c / r.Max) : c < r.Min ? Math.Log2((double)r.Min / c) : 0;
        return beyond > Math.Log2(1.25) ? beyond : 0;
    }

    public bool Calibrated => _spreads is not null;

    /// <summary>Spreads of the fitted metrics from a calibration's residuals.</summary>
    public static IReadOnlyList<MetricSpread> Spreads(CalibrationResult c)
    {
        var p = c.Table.Count(t => t.Fitted);
        return c.Residuals.Where(r => r.Measured > 0 && r.Predicted > 0).GroupBy(r => r.Metric).Select(g =>
        {
            var logs = g.Select(r => Math.Log(r.Predicted / r.Measured)).ToArray();
            return new MetricSpread(g.Key, logs.Length, p, Math.Sqrt(logs.Sum(x => x * x) / logs.Length));
        }).ToList();
    }

    public static CalibrationCoverage Coverage(IReadOnlyList<(RunDeployment Deployment, int Isl, int Osl)> runs) => new(
        runs.Select(r => r.Deployment.GpuKey).Distinct().Order().ToList(),
        runs.Select(r => r.Deployment.Setup.Deployment.Decode.TensorParallel).Distinct().Order().ToList(),
        runs.Select(r => r.Deployment.Setup.Weights.Quantized).Distinct().Order().ToList(),
        runs.Select(r => new[] { r.Isl, r.Osl }).DistinctBy(w => (w[0], w[1])).ToList());

    /// <summary>The dimensions in which the target differs from every calibration run.</summary>
    public IReadOnlyList<string> Differs(IntervalTarget t)
    {
        if (_coverage is not { } c) return [];
        var d = new List<string>();
        if (!c.Gpus.Contains(t.Gpu)) d.Add("gpu");
        if (!c.TensorParallel.Contains(t.TensorParallel)) d.Add("tp");
        if (!c.Quantizations.Contains(t.Quantization)) d.Add("quantization");
        if (!c.Workloads.Any(w => Near(w[0], t.Isl) && Near(w[1], t.Osl))) d.Add("workload");
        return d;
    }

    /// <summary>The log-scale spread (one sigma) of a metric's prediction at a target.</summary>
    public double Spread(string metric, IntervalTarget target)
    {
        var family = Family(metric);
        if (_spreads is null) return PriorSpread(metric);
        // The metric's own spread, else its family's median, else any of its family.
        var fitted = _spreads.FirstOrDefault(s => s.Metric == metric)
                     ?? _spreads.FirstOrDefault(s => Family(s.Metric) == family && s.Metric.StartsWith("median", StringComparison.Ordinal))
                     ?? _spreads.FirstOrDefault(s => Family(s.Metric) == family);
        var baseSpread = fitted is null ? PriorSpread(metric) : Effective(fitted);
        var v = baseSpread * baseSpread;
        foreach (var dim in Differs(target)) v += Math.Pow(TransferSpread(dim, metric), 2);
        if (family == "ttft") v += Math.Pow(PromptLengthSpread(target.Isl), 2);
        v += Math.Pow(TensorParallelSpread(target.TensorParallel), 2);
        v += Math.Pow(LoadDoublings(target.Concurrency) * LoadSpreadPerDoubling(metric), 2);
        v += Math.Pow(FrontendLoadSpread(metric, target.StreamTokensPerSecond), 2);
        return Math.Sqrt(v);
    }

    /// <summary>A metric's calibration spread: its RMS, inflated by sqrt(N / (N - P)) for the P parameters fitted on it.</summary>
    public static double Effective(MetricSpread s) => s.RmsLog * Math.Sqrt(s.N / (double)Math.Max(1, s.N - Math.Min(s.P, s.N - 1)));

    /// <summary>Assumption (not fitted): at most this share of TTFT at the calibration's prompt length does not grow with
    /// the prompt (front-end, per-step host and launch time); the rest is prefill compute that does.</summary>
    public const double MaxFixedTtftShare = 0.5;

    /// <summary>The calibration's one prompt length (geometric mean of its runs' ISLs) when every run had about the same
    /// one; null when they differ (then the fit separates per-request from per-token prefill time) or nothing was calibrated.</summary>
    public double? SinglePromptLength { get; }

    private static double? OnePromptLength(CalibrationCoverage? coverage)
    {
        if (coverage is not { Workloads.Count: > 0 } c) return null;
        var isls = c.Workloads.Select(w => (double)w[0]).Where(x => x > 0).ToList();
        if (isls.Count == 0) return null;
        var mean = Math.Exp(isls.Average(Math.Log));
        return isls.All(x => Near((int)x, (int)Math.Round(mean))) ? mean : null;
    }

    /// <summary>
    /// TTFT's extra spread (log scale) at a prompt length the calibration never saw when all its runs had one: those runs
    /// fit the sum of per-request and per-token prefill time but cannot split it, so TTFT at r times the prompt length lies
    /// between r (all per-token) and 1 + (1 - MaxFixedTtftShare)(r - 1) times its value there. The spread is that
    /// bracket's log-width over z90, so the whole bracket lies inside the 90% interval wherever in it the fit landed. 0
    /// where the prompt length was calibrated, or where the calibration had several.
    /// </summary>
    public double PromptLengthSpread(int isl)
    {
        if (SinglePromptLength is not { } l0 || isl <= 0 || Near(isl, (int)Math.Round(l0))) return 0;
        var r = isl / l0;
        return Math.Abs(Math.Log(r) - Math.Log(1 + (1 - MaxFixedTtftShare) * (r - 1))) / Z90;
    }

    /// <summary>Assumption (not fitted): at most this share of a step's time (and of TTFT) at the calibration's TP does not
    /// shrink with more TP ranks (host time, kernel launches, collective latency); the rest is GPU work that does.</summary>
    public const double MaxFixedStepShare = 0.5;

    /// <summary>The calibration's one TP when every run had it; null when they differ (then the runs split GPU work, which
    /// shrinks with TP, from host time, which does not) or nothing was calibrated.</summary>
    public int? SingleTensorParallel { get; }

    /// <summary>
    /// Extra spread (log scale, every metric) at a TP the calibration never saw when all its runs had one: those runs fit
    /// a step's GPU work and its fixed time together but cannot split them, so at r times the TP a step lies between 1/r
    /// (all GPU work) and MaxFixedStepShare + (1 - MaxFixedStepShare) / r times its time there. The spread is that
    /// bracket's log-width, |log(1 + MaxFixedStepShare (r - 1))|, over z90: 0.25 at twice or half the TP, 0.56 at 4x.
    /// 0 at the calibrated TP, or where the calibration had several.
    /// </summary>
    public double TensorParallelSpread(int tp)
    {
        if (SingleTensorParallel is not { } tp0 || tp <= 0 || tp == tp0) return 0;
        return Math.Abs(Math.Log(1 + MaxFixedStepShare * ((double)tp / tp0 - 1))) / Z90;
    }

    /// <summary>The 90% interval of a predicted value: (low, high).</summary>
    public (double Low, double High) Interval(string metric, double predicted, IntervalTarget target)
    {
        var s = Spread(metric, target) * Z90;
        return (predicted * Math.Exp(-s), predicted * Math.Exp(s));
    }

    /// <summary>Metrics that share a spread: TTFT; TPOT/ITL/E2EL (decode-bound); throughput.</summary>
    private static string Family(string metric) =>
        metric.Contains("ttft", StringComparison.Ordinal) ? "ttft"
        : metric.Contains("throughput", StringComparison.Ordinal) || metric.Contains("goodput", StringComparison.Ordinal) ? "throughput"
        : "tpot";

    private static bool Near(int a, int b) => a > 0 && b > 0 && Math.Abs(Math.Log((double)a / b)) < 0.25;
}
