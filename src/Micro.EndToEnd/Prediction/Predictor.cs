using Micro.Core.Models;
using Micro.Core.Results;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Metrics;

namespace Micro.EndToEnd.Prediction;

/// <summary>Everything `micro predict` takes besides the model and profile (which live in the setup).</summary>
public sealed record PredictionRequest
{
    public required ServingSetup Setup { get; init; }
    /// <summary>The loads to predict (closed loop at each concurrency, open loop at each rate, or both).</summary>
    public required IReadOnlyList<LoadShape> Loads { get; init; }
    /// <summary>Fixed lengths or a workload's per-request lengths; null: the calibration runs' mean lengths, else 1024/1024.</summary>
    public LengthSampler? Lengths { get; init; }
    public IReadOnlyList<BenchmarkPoint> Calibrate { get; init; } = [];
    public IReadOnlyList<BenchmarkPoint> Check { get; init; } = [];
    public IReadOnlyList<SloSpec> Slos { get; init; } = [];
    public double? GpuHourPrice { get; init; }
    public string PriceSource { get; init; } = "no price";
    /// <summary>--search profiles (the first is the setup's device); empty: no search.</summary>
    public IReadOnlyList<SearchProfile> Search { get; init; } = [];
    public int SearchGpus { get; init; } = 1;
    public int Seed { get; init; }
    /// <summary>--window-s: SLOs judged on every window of this many seconds (the worst one decides); null: over the whole run.</summary>
    public double? WindowSeconds { get; init; }
    /// <summary>The model --model names (a preset's Hugging Face id, a config.json's _name_or_path), compared with the runs' model_id; null when it names none.</summary>
    public string? ModelName { get; init; }
    /// <summary>--calibration: a calibration.json to apply instead of fitting (with its path).</summary>
    public (CalibrationFile File, string Path)? Calibration { get; init; }
    /// <summary>Scheduler limits on another GPU (a run's own): the command's flags, else vLLM's defaults for that GPU's memory.</summary>
    public Func<DeviceProfile, SchedulerConfig>? SchedulerFor { get; init; }
    /// <summary>vLLM's --random-range-ratio of runs that state only mean lengths, and of the predicted loads (1 = fixed lengths).</summary>
    public double RangeRatio { get; init; } = 1;
    /// <summary>What the runs' stated median_ttft_ms is compared with: the median (vLLM), the mean for a table that does not
    /// say, or Auto (whichever the calibration runs fit better).</summary>
    public RunsTtftStatistic RunsTtftStatistic { get; init; } = RunsTtftStatistic.Median;
    /// <summary>--keep-pinned-fit: keep a calibration whose parameters are pinned at a physical bound instead of refusing it.</summary>
    public bool KeepPinnedFit { get; init; }
    /// <summary>Told a line as a long calibration moves on (null: nothing is said).</summary>
    public Action<string>? Progress { get; init; }
    /// <summary>Called once the inputs are checked and the work begins (where long work is announced).</summary>
    public Action? WorkStarts { get; init; }
}

public sealed record PredictionResult
{
    public required PredictionRequest Request { get; init; }
    public required ServingModel Model { get; init; }
    public required LengthSampler Lengths { get; init; }
    public required IReadOnlyList<PredictedPoint> Points { get; init; }
    public CalibrationResult? Calibration { get; init; }
    public required string PriorNote { get; init; }
    public CheckResult? Check { get; init; }
    public SearchResult? Search { get; init; }
    /// <summary>The parameters in canonical form (fractions of a datasheet profile), and how each was carried to the target profile.</summary>
    public required PhysicalParameters Canonical { get; init; }
    public required IReadOnlyList<CarriedParameter> Carried { get; init; }
    /// <summary>Where the parameters came from: the priors, this command's calibration, or a calibration.json (and which parameters it carries).</summary>
    public required string ParametersFrom { get; init; }
    public required PredictionIntervals Intervals { get; init; }
    public required IntervalTarget Target { get; init; }
    /// <summary>The dimensions in which the target differs from every calibration run (the interval widens for each).</summary>
    public IReadOnlyList<string> TransferredAcross => Intervals.Differs(Target);
    /// <summary>The calibration to write as calibration.json (when this command fitted one).</summary>
    public CalibrationFile? CalibrationOut { get; init; }
    /// <summary>--plan: replicas per configuration for the traffic, the monthly bill and the margin delta.</summary>
    public Traffic.PlanResult? Plan { get; init; }
    /// <summary>Where each figure came from, and every assumption, one line each.</summary>
    public required IReadOnlyList<string> Sources { get; init; }
    public required string ModelIdCheck { get; init; }
}

/// <summary>`micro predict`: calibrate (optionally), predict each load, check against real runs, search configurations.</summary>
public static class Predictor
{
    public static PredictionResult Run(PredictionRequest req)
    {
        RunDeployments Deployments(RunsTtftStatistic stat) => new(req.Setup, req.SchedulerFor ?? (d => SchedulerConfig.VllmDefaults(d.MemoryGB.Value) with
            { GpuMemoryUtilization = req.Setup.Scheduler.GpuMemoryUtilization, BlockSize = req.Setup.Scheduler.BlockSize }), req.RangeRatio) { TtftStatistic = stat };
        var ttftStat = req.RunsTtftStatistic != RunsTtftStatistic.Auto ? req.RunsTtftStatistic
            : req.Calibration?.File.RunsTtftStatistic ?? RunsTtftStatistic.Median;
        var deployments = Deployments(ttftStat);
        var modelIdCheck = CheckRuns(req, run => deployments.Resolve(run).Setup.Weights.Quantized);
        // Every run's deployment and a calibration file's family are checked before long work is announced: bad input
        // stays one line.
        foreach (var run in req.Calibrate.Concat(req.Check)) deployments.Resolve(run);
        if (req.Calibration is { } given) CalibrationFiles.CheckModel(given.File, req.Setup.Model, given.Path);
        req.WorkStarts?.Invoke();
        var prior = PhysicalParameters.Prior(measuredProfile: false);
        var priorNote = "priors (canonical, fractions of a datasheet profile): " + string.Join("; ", PhysicalParameters.Specs.Select((sp, i) => $"{sp.Name} {Fmt(prior.Values[i])}{(sp.Unit.Length > 0 ? " " + sp.Unit : "")} ({sp.PriorSource})"));
        CalibrationResult? calibration = null;
        string? ttftNote = ttftStat == RunsTtftStatistic.Mean ? "runs' median_ttft_ms compared with the simulated mean" + (req.RunsTtftStatistic == RunsTtftStatistic.Auto ? $" (--runs-ttft-stat auto: the choice of {req.Calibration?.Path})" : " (--runs-ttft-stat mean)") : null;
        CalibrationFile? calibrationOut = null;
        string? intervalNote = null;
        var canonical = prior;
        var from = "priors: no calibration (every interval is the prior spread)";
        if (req.Calibration is { } cf)
        {
            from = CalibrationFiles.CheckModel(cf.File, req.Setup.Model, cf.Path);
            canonical = CalibrationFiles.Parameters(cf.File);
        }
        if (req.Calibrate.Count > 0)
        {
            var auto = req.RunsTtftStatistic == RunsTtftStatistic.Auto;
            calibration = Calibrator.Fit(deployments, req.Calibrate, prior, req.Seed, progress: req.Progress is { } tell && auto ? line => tell(line + ", TTFT read as the median") : req.Progress,
                keepPinned: req.KeepPinnedFit);
            if (auto)
            {
                var asMedian = calibration;
                var asMean = Calibrator.Fit(Deployments(RunsTtftStatistic.Mean), req.Calibrate, prior, req.Seed,
                    progress: req.Progress is { } tell2 ? line => tell2(line + ", TTFT read as the mean") : null, keepPinned: req.KeepPinnedFit);
                if (asMean.RmsPercent < asMedian.RmsPercent)
                {
                    (calibration, ttftStat) = (asMean, RunsTtftStatistic.Mean);
                    deployments = Deployments(ttftStat);
                }
                ttftNote = $"runs' median_ttft_ms compared with the simulated {(ttftStat == RunsTtftStatistic.Mean ? "mean" : "median")} (--runs-ttft-stat auto: " +
                    $"RMS residual {Fmt(asMedian.RmsPercent)}% as the median, {Fmt(asMean.RmsPercent)}% as the mean, over the calibration runs)";
            }
            canonical = calibration.Parameters;
            var shapes = req.Calibrate.Select(p => ((int)Math.Round(p.MeanInputTokens), (int)Math.Round(p.MeanOutputTokens), RunMetrics.Concurrency(p), p.RequestRate)).ToList();
            calibrationOut = CalibrationFiles.From(calibration, req.Setup.Model, shapes, Stack(req.Calibrate)) with { RunsTtftStatistic = ttftStat };
            if (LeaveOneRunOut.Applies(calibration))
            {
                var leftOut = LeaveOneRunOut.Spreads(deployments, req.Calibrate, prior, req.Seed, req.Progress);
                if (leftOut is not null) calibrationOut = calibrationOut with { Spreads = LeaveOneRunOut.Wider(calibrationOut.Spreads, leftOut) };
                intervalNote = IntervalNote(calibration, calibrationOut.Spreads, leftOut);
            }
            from = $"calibrated by this command on {req.Calibrate.Count} run(s) of {calibration.Deployments.Select(d => d.Label).Distinct().Count()} deployment(s)";
        }
        var model = new ServingModel(req.Setup, ParameterCarry.ForProfile(canonical, req.Setup.Device));
        var lengths = req.Lengths ?? (req.Calibrate.Count > 0
            ? new LengthSampler((int)Math.Round(req.Calibrate.Average(p => p.MeanInputTokens)), (int)Math.Round(req.Calibrate.Average(p => p.MeanOutputTokens)), Source: "mean lengths of the calibration runs")
            : new LengthSampler(1024, 1024, Source: "default 1024/1024"));
        if (req.RangeRatio < 1 && lengths.InputLens is null) lengths = lengths with { RangeRatio = req.RangeRatio };
        var intervals = PredictionIntervals.Of(calibrationOut ?? req.Calibration?.File);
        var target = Target(req.Setup, lengths.Isl, lengths.Osl);
        var promptNote = PromptLengthWarning(intervals, target.Isl, req.Check.Select(p => (int)Math.Round(p.MeanInputTokens)));
        var meanContext = lengths.Isl + lengths.Osl / 2.0;
        var sims = new SimulationResult[req.Loads.Count];
        Parallel.For(0, req.Loads.Count, i => sims[i] = model.Simulate(req.Loads[i], lengths));
        var points = req.Loads.Select((l, i) => PredictedPoint.Of(model, l, sims[i], req.Slos, req.GpuHourPrice, meanContext, req.WindowSeconds) with
            { Intervals = PointIntervals(intervals, target with { Concurrency = l.ClosedLoopConcurrency }, sims[i]) }).ToList();
        // Each checked run's stream and TP, as its intervals used them, for the warnings below (the check calls back on one thread).
        var checkStreams = new Dictionary<string, double?>(StringComparer.Ordinal);
        var checkTps = new HashSet<int>();
        var check = req.Check.Count > 0
            ? PredictionCheck.Run(deployments, canonical, req.Check, req.Seed, (d, p, sim, metric, predicted) =>
            {
                var closedLoop = p.RequestRate is null ? RunMetrics.Concurrency(p) : null;
                var stream = Stream(closedLoop, sim);
                checkStreams.TryAdd(p.Source, stream);
                checkTps.Add(d.Setup.Deployment.Decode.TensorParallel);
                return intervals.Interval(metric, predicted, Target(d.Setup, (int)Math.Round(p.MeanInputTokens), (int)Math.Round(p.MeanOutputTokens))
                    with { Concurrency = closedLoop, StreamTokensPerSecond = stream });
            })
            : null;
        var tpNote = TensorParallelWarning(intervals, target.TensorParallel, checkTps);
        var search = req.Search.Count > 0
            ? ConfigSearch.Run(req.Setup, canonical, req.Search, req.SearchGpus, lengths, req.Slos, 1000, req.Seed, req.ModelName ?? req.Setup.Model.Name, intervals)
            : null;
        return new PredictionResult
        {
            Request = req, Model = model, Lengths = lengths, Points = points, Calibration = calibration, PriorNote = priorNote,
            Check = check, Search = search, ModelIdCheck = modelIdCheck, Canonical = canonical, Carried = ParameterCarry.Describe(canonical, req.Setup.Device),
            ParametersFrom = from, Intervals = intervals, Target = target, CalibrationOut = calibrationOut,
            Sources = [.. Sources(model, req, lengths), .. (ttftNote is null ? Array.Empty<string>() : [ttftNote]), .. (intervalNote is null ? Array.Empty<string>() : [intervalNote]), .. (promptNote is null ? Array.Empty<string>() : [promptNote]), .. (tpNote is null ? Array.Empty<string>() : [tpNote]), .. points.Where(p => p.Sim.FrontendSaturated > 0).Select(p =>
                $"warning: {p.Load.Label}: the model's front-end was saturated (utilization held at {ServingSimulator.MaxFrontendUtilization}) when {p.Sim.FrontendSaturated} of {p.Sim.Completed} requests were sent: its TTFT there follows the fitted time per streamed token past what the runs show, an extrapolation, not a bound"),
                .. FrontendExtrapolation(intervals, points.Select(p => (p.Load.Label, Stream(p.Load.ClosedLoopConcurrency, p.Sim)))
                    .Concat(checkStreams.Select(kv => (Path.GetFileName(kv.Key), kv.Value)))),
                .. Warnings(req, calibration is not null || req.Calibration is not null),
                .. PinnedWarning(calibration?.Pinned, calibration?.RmsPercent)
                    ?? PinnedWarning(req.Calibration?.File.Parameters.Where(p => Calibrator.IsPinned(p.Status)).Select(p => p.Name).ToList(), req.Calibration?.File.RmsPercent)
                    ?? []],
        };
    }

    /// <summary>How the intervals of a calibration with few pairs per parameter were set: per fitted metric the spread used and which.</summary>
    private static string IntervalNote(CalibrationResult c, IReadOnlyList<MetricSpread> used, IReadOnlyList<MetricSpread>? leftOut) =>
        $"intervals: {c.Residuals.Count} (run, metric) pairs for {c.Table.Count(t => t.Fitted)} fitted parameters, too few to trust the residuals alone; " + (leftOut is null
            ? "no run could be left out (the rest do not fit), so the residuals' spread is used"
            : "each run left out in turn and predicted from the rest: " + string.Join(", ", used.Select(u =>
                $"{u.Metric} {PredictionIntervals.Effective(u) * 100:0.#}% ({(u.P == 0 && leftOut.Contains(u) ? "left-out runs" : "residuals")})")));

    /// <summary>Said where a load or check run streams more than any calibration run did while the fit has a front-end time
    /// per token: TTFT there extrapolates the front-end's queueing (PredictionIntervals.FrontendLoadSpread widens it).</summary>
    private static IEnumerable<string> FrontendExtrapolation(PredictionIntervals iv, IEnumerable<(string Label, double? Stream)> targets)
    {
        var beyond = targets.Where(t => iv.FrontendLoadSpread("median_ttft_ms", t.Stream) > 0).Select(t => t.Label).ToList();
        if (beyond.Count == 0 || iv.CalibratedStream is not { } xc) yield break;
        var t = iv.FrontendSecondsPerToken;
        yield return FormattableString.Invariant(
            $"warning: the calibration runs streamed at most {xc:N0} output tok/s while decoding, and the fitted front-end time per token ({t * 1e6:0.#} us) saturates it at {ServingSimulator.MaxFrontendUtilization / t:N0}; ") +
            $"{beyond.Count} target(s) stream more ({string.Join(", ", beyond.Take(3))}{(beyond.Count > 3 ? ", ..." : "")}): their TTFT extrapolates the front-end's queueing, and its interval widens (docs/prediction-transfer.md#intervals)";
    }

    /// <summary>Said where the calibration (fitted now, or a file's) kept parameters pinned at a physical bound (--keep-pinned-fit).</summary>
    private static string[]? PinnedWarning(IReadOnlyList<string>? pinned, double? rms) => pinned is { Count: > 0 }
        ? [$"warning: the calibration was kept with {string.Join(", ", pinned)} pinned at a physical bound (--keep-pinned-fit): the model does not explain its runs inside physics (RMS residual {Fmt(rms ?? 0)}%); trust the prediction only as far as a --check shows"]
        : null;

    /// <summary>Said where a calibration of one prompt length is asked for TTFT at another (the prediction or a check run).</summary>
    public static string? PromptLengthWarning(PredictionIntervals iv, int targetIsl, IEnumerable<int> checkIsls) =>
        iv.SinglePromptLength is { } l0 && (iv.PromptLengthSpread(targetIsl) > 0 || checkIsls.Any(isl => iv.PromptLengthSpread(isl) > 0))
            ? $"warning: every calibration run had prompts of about {l0:0} tokens, so the fit cannot split TTFT into per-request and per-token " +
              "prefill time; TTFT at other prompt lengths carries that in a wider interval (docs/prediction-transfer.md#intervals). Calibrate on two or more prompt lengths to narrow it"
            : null;

    /// <summary>Said where a calibration of one TP is asked for another (the prediction or a check run).</summary>
    public static string? TensorParallelWarning(PredictionIntervals iv, int targetTp, IEnumerable<int> checkTps) =>
        iv.SingleTensorParallel is { } tp0 && (iv.TensorParallelSpread(targetTp) > 0 || checkTps.Any(tp => iv.TensorParallelSpread(tp) > 0))
            ? $"warning: every calibration run had TP {tp0}, so the fit cannot split a step into GPU work (which shrinks with more TP ranks) " +
              "and host time (which does not); predictions at another TP carry that in a wider interval (docs/prediction-transfer.md#intervals). Calibrate on two or more TPs to narrow it"
            : null;

    /// <summary>The stream a simulation's front-end carries while decoding (PredictionIntervals.Stream).</summary>
    public static double? Stream(int? closedLoopConcurrency, SimulationResult sim) =>
        PredictionIntervals.Stream(closedLoopConcurrency, sim.Completed > 0 ? sim.Stat("tpot", "median") : null, sim.OutputThroughput);

    public static IntervalTarget Target(ServingSetup s, int isl, int osl) =>
        new(s.Device.DatasheetKey ?? s.Device.Hardware.Name, s.Deployment.Decode.TensorParallel, s.Weights.Quantized, isl, osl);

    /// <summary>The 90% intervals of a point's medians, throughput and cost (cost moves inversely with throughput).</summary>
    public static PointIntervals PointIntervals(PredictionIntervals iv, IntervalTarget target, SimulationResult sim)
    {
        var t = target with { StreamTokensPerSecond = Stream(target.Concurrency, sim) };
        return new(
            iv.Interval("median_tpot_ms", sim.Stat("tpot", "median"), t),
            iv.Interval("median_ttft_ms", sim.Stat("ttft", "median"), t),
            iv.Interval("output_throughput", sim.OutputThroughput, t),
            iv.Spread("output_throughput", t) * PredictionIntervals.Z90);
    }

    /// <summary>
    /// Warnings a newcomer needs: closed loops with fewer than 10 x C prompts are dominated by the start-up burst (the C
    /// first requests arrive at once); an uncalibrated prediction names the costs it has no figure for (their priors
    /// are assumptions, not measurements).
    /// </summary>
    private static IEnumerable<string> Warnings(PredictionRequest req, bool calibrated)
    {
        foreach (var l in req.Loads)
            if (l.Concurrency is { } c && l.Trace is null && l.NumPrompts < 10 * c)
                yield return $"warning: {l.Label}: --num-prompts {l.NumPrompts} is below 10 x concurrency ({10 * c}): the start-up burst of {c} requests sent at once weighs on every percentile (vLLM's and InferenceX's runs use 10 x C)";
        if (calibrated) yield break;
        var assumed = PhysicalParameters.Specs.Where(s => s.Assumed).Select(s => s.Name).ToList();
        yield return $"warning: uncalibrated: no measured figure for {string.Join(", ", assumed)}{(req.Setup.Device.Collectives.Count == 0 && req.Setup.Deployment.Decode.TensorParallel > 1 ? ", collective latency (no measured collectives)" : "")}; their priors are assumptions, so expect the interval's width (--calibrate on a few of your own runs narrows it)";
    }

    private static string Stack(IReadOnlyList<BenchmarkPoint> runs)
    {
        var backends = runs.Select(r => r.Backend ?? "unknown").Distinct().ToList();
        return "vllm bench serve results; backend " + string.Join(", ", backends);
    }

    private static string Fmt(double v) => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static string CheckRuns(PredictionRequest req, Func<BenchmarkPoint, string> weightsOf)
    {
        var calibrated = req.Calibrate.Select(p => p.Source).ToHashSet(StringComparer.Ordinal);
        foreach (var p in req.Check)
            if (calibrated.Contains(p.Source))
                throw new InputException(p.Source, null, "is given to both --calibrate and --check: calibration never fits on the runs it is checked against");
        // Every run of a quantized checkpoint ("...-FP8") is simulated with the weights its tag names, or the model differs.
        foreach (var p in req.Calibrate.Concat(req.Check))
            if (p.ModelId is { } tagged && ModelIds.SplitQuantization(tagged).Dtype is { } dtype && !SameStorage(weightsOf(p), dtype))
                throw new InputException(p.Source, "model_id",
                    $"'{Clip(tagged)}' is an {dtype} checkpoint, but the run would be simulated with {weightsOf(p)} weights: give --weight-dtype {dtype} or the run's quantization");
        if (req.Calibrate.Count == 0) return "no calibration runs";
        var ids = req.Calibrate.Select(p => p.ModelId ?? "(none)").Distinct(StringComparer.Ordinal).ToList();
        if (ids.Skip(1).FirstOrDefault(i => i == "(none)" || ids[0] == "(none)" || !ModelIds.SameArchitecture(i, ids[0])) is { } other)
            throw new InputException(req.Calibrate.First(p => (p.ModelId ?? "(none)") == other).Source, "model_id",
                $"calibration runs must share one model (up to a quantization tag such as -FP8); found {string.Join(", ", ids.Take(3).Select(i => "'" + Clip(i) + "'"))}");
        // A --check run of another model would be an error table about nothing; another checkpoint of it is a transfer.
        if (ids[0] != "(none)")
            foreach (var p in req.Check)
                if (p.ModelId is { } id && !ModelIds.SameArchitecture(id, ids[0]))
                    throw new InputException(p.Source, "model_id", $"'{Clip(id)}' is not the calibration runs' model ('{Clip(ids[0])}'): --check compares the same model, up to a quantization tag");
        var runs = ids.Count == 1 ? $"calibration runs share model_id '{Clip(ids[0])}'" : $"calibration runs are checkpoints of one model ({string.Join(", ", ids.Take(3).Select(i => "'" + Clip(i) + "'"))})";
        if (req.ModelName is null) return $"{runs}; model_id not checked: --model names no model (a config.json without _name_or_path)";
        if (ids[0] == "(none)") return $"model_id not checked: the calibration runs name no model (--model is '{Clip(req.ModelName)}')";
        if (!ModelIds.SameArchitecture(ids[0], req.ModelName))
            throw new InputException(req.Calibrate[0].Source, "model_id", $"'{Clip(ids[0])}' is not the model --model names ('{Clip(req.ModelName)}')");
        return ModelIds.Same(ids[0], req.ModelName) && ids.Count == 1
            ? $"{runs}, the model --model names ('{Clip(req.ModelName)}')"
            : $"{runs}, checkpoints of the model --model names ('{Clip(req.ModelName)}'), each simulated with its own weights";
    }

    /// <summary>Whether the weights a run is simulated with store what its checkpoint's tag says (fp8 and int8 alike: one byte).</summary>
    private static bool SameStorage(string used, string tagged) =>
        used.StartsWith(tagged, StringComparison.OrdinalIgnoreCase)
        || Math.Abs(SpeedOfLight.WeightFormat.BytesOf(used, "--weight-dtype") - SpeedOfLight.WeightFormat.BytesOf(tagged, "--weight-dtype")) < 1e-9;

    private static string Clip(string s) => s.Length > 80 ? s[..80] + "..." : s;

    private static IReadOnlyList<string> Sources(ServingModel m, PredictionRequest req, LengthSampler lengths)
    {
        var s = m.DecodeStep;
        var d = req.Setup.Device;
        var list = new List<string>
        {
            $"hardware: {d.Hardware.Name} ({d.Hardware.Label})",
            $"memory bandwidth {d.Bandwidth.Value:0} GB/s: {d.Bandwidth.Source}",
            $"GEMM rate {s.GemmTflops:0.#} TFLOP/s ({req.Setup.Weights.Quantized} weights): {d.GemmRate.Source}",
            $"memory {d.MemoryGB.Value:0.#} GB per GPU: {d.MemoryGB.Source}",
            $"deployment: {req.Setup.Deployment.Describe()}",
            $"weights: {req.Setup.Weights.Assumption}; {m.DecodeMemory.WeightGB:0.##} GB per decode GPU; KV cache {m.DecodeMemory.KvCacheGB:0.##} GB = {m.DecodeMemory.KvBlocks} blocks of {m.DecodeMemory.BlockSize} tokens ({m.DecodeMemory.Utilization} x memory - weights - {MemoryPlan.AssumedReserveGB} GB assumed reserve)",
            $"decode attention: {s.DecodeAttentionSource}",
            $"prefill attention: {s.PrefillAttentionSource}",
            $"collectives: {s.CollectiveSource}",
            $"scheduler: max_num_seqs {req.Setup.Scheduler.MaxNumSeqs}, max_num_batched_tokens {req.Setup.Scheduler.MaxNumBatchedTokens}, gpu_memory_utilization {req.Setup.Scheduler.GpuMemoryUtilization}, block_size {req.Setup.Scheduler.BlockSize} ({SchedulerConfig.DefaultsSource}, unless given)",
            $"lengths: ISL {lengths.Isl} / OSL {lengths.Osl} ({lengths.Source})",
            $"price: {req.PriceSource}",
        };
        list.AddRange(s.LinearSources(1).Select(x => $"linear {x.Layer} at decode M: {x.Source}"));
        if (m.KvTransfer is { } kv)
            list.Add($"KV transfer prefill -> decode: {kv.Source}; the first token the client sees comes from the decode pool's first step");
        if (!d.Measured) list.Add("every hardware figure above is datasheet, not measured");
        return list;
    }
}
