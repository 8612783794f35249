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
        var modelIdCheck = CheckRuns(req);
        var baseModel = new ServingModel(req.Setup, PhysicalParameters.Prior(0));
        var (launchMs, launchSource) = baseModel.DecodeStep.LaunchOverheadPrior();
        var prior = PhysicalParameters.Prior(launchMs);
        var model = baseModel.With(prior);
        var priorNote = "priors: bandwidth and GEMM fractions 1 (the profile's figures as they are); step overhead " + launchSource + "; no per-sequence, front-end or per-token front-end overhead";
        CalibrationResult? calibration = null;
        if (req.Calibrate.Count > 0)
        {
            calibration = Calibrator.Fit(model, req.Calibrate, prior, req.Seed);
            model = model.With(calibration.Parameters);
        }
        var lengths = req.Lengths ?? (req.Calibrate.Count > 0
            ? new LengthSampler((int)Math.Round(req.Calibrate.Average(p => p.MeanInputTokens)), (int)Math.Round(req.Calibrate.Average(p => p.MeanOutputTokens)), Source: "mean lengths of the calibration runs")
            : new LengthSampler(1024, 1024, Source: "default 1024/1024"));
        var meanContext = lengths.Isl + lengths.Osl / 2.0;
        var sims = new SimulationResult[req.Loads.Count];
        Parallel.For(0, req.Loads.Count, i => sims[i] = model.Simulate(req.Loads[i], lengths));
        var points = req.Loads.Select((l, i) => PredictedPoint.Of(model, l, sims[i], req.Slos, req.GpuHourPrice, meanContext, req.WindowSeconds)).ToList();
        var check = req.Check.Count > 0 ? PredictionCheck.Run(model, req.Check, req.Seed) : null;
        var search = req.Search.Count > 0
            ? ConfigSearch.Run(req.Setup, model.Parameters, req.Search, req.SearchGpus, lengths, req.Slos, 1000, req.Seed, req.ModelName ?? req.Setup.Model.Name)
            : null;
        return new PredictionResult
        {
            Request = req, Model = model, Lengths = lengths, Points = points, Calibration = calibration, PriorNote = priorNote,
            Check = check, Search = search, ModelIdCheck = modelIdCheck,
            Sources = [.. Sources(model, req, lengths), .. points.Where(p => p.Sim.FrontendSaturated > 0).Select(p =>
                $"warning: {p.Load.Label}: the front-end was saturated (utilization held at {ServingSimulator.MaxFrontendUtilization}) when {p.Sim.FrontendSaturated} of {p.Sim.Completed} requests were sent; their TTFT is a lower bound")],
        };
    }

    private static string CheckRuns(PredictionRequest req)
    {
        var calibrated = req.Calibrate.Select(p => p.Source).ToHashSet(StringComparer.Ordinal);
        foreach (var p in req.Check)
            if (calibrated.Contains(p.Source))
                throw new InputException(p.Source, null, "is given to both --calibrate and --check: calibration never fits on the runs it is checked against");
        if (req.Calibrate.Count == 0) return "no calibration runs";
        var ids = req.Calibrate.Select(p => p.ModelId ?? "(none)").Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count > 1)
            throw new InputException(req.Calibrate.First(p => (p.ModelId ?? "(none)") == ids[1]).Source, "model_id",
                $"calibration runs must share one model_id; found {string.Join(", ", ids.Take(3).Select(i => "'" + Clip(i) + "'"))}");
        // A --check run of another model would be an error table about nothing.
        if (ids[0] != "(none)")
            foreach (var p in req.Check)
                if (p.ModelId is { } id && !ModelIds.Same(id, ids[0]))
                    throw new InputException(p.Source, "model_id", $"'{Clip(id)}' is not the calibration runs' model ('{Clip(ids[0])}'): --check compares the same model");
        if (req.ModelName is null) return $"calibration runs share model_id '{Clip(ids[0])}'; model_id not checked: --model names no model (a config.json without _name_or_path)";
        if (ids[0] == "(none)") return $"model_id not checked: the calibration runs name no model (--model is '{Clip(req.ModelName)}')";
        if (!ModelIds.Same(ids[0], req.ModelName))
            throw new InputException(req.Calibrate[0].Source, "model_id", $"'{Clip(ids[0])}' is not the model --model names ('{Clip(req.ModelName)}')");
        return $"calibration runs share model_id '{Clip(ids[0])}', the model --model names ('{Clip(req.ModelName)}')";
    }

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
        if (req.Setup.Deployment.Disaggregated)
            list.Add($"KV transfer prefill -> decode: per-GPU KV of the prompt at the interconnect ({d.InterconnectGBps.Source}); the first token the client sees comes from the decode pool's first step");
        if (!d.Measured) list.Add("every hardware figure above is datasheet, not measured");
        return list;
    }
}
