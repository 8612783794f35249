using Micro.Core.Results;
using Micro.EndToEnd.Metrics;

namespace Micro.EndToEnd.Prediction;

/// <summary>A GPU type to search over: its profile and $/GPU-hour.</summary>
public sealed record SearchProfile(DeviceProfile Device, double? DollarsPerGpuHour, string PriceSource);

public sealed record SearchRow(string Gpu, int TensorParallel, int Replicas, PredictedPoint Point, bool KvLimited, bool OnFrontier);

public sealed record SearchResult(IReadOnlyList<SearchRow> Rows, IReadOnlyList<string> Excluded, SearchRow? Cheapest, string Binding, string? ServeCommand, string? BenchCommand)
{
    /// <summary>Whether the cheapest configuration still meets every SLO at the pessimistic end of its 90% interval (null without SLOs or a cheapest row).</summary>
    public bool? CheapestMeetsSloPessimistic { get; init; }
    /// <summary>The SLOs the cheapest configuration misses at the pessimistic end of its interval.</summary>
    public IReadOnlyList<string> PessimisticMisses { get; init; } = [];
}

/// <summary>
/// --search: TP (the divisors of --gpus that pass the head and memory rules) x concurrency (powers of two up to
/// max-num-seqs) x GPU type, each predicted by the simulation (closed loop, 4 x C prompts, at least 16); the Pareto
/// frontier of tok/s per GPU vs tok/s per user, the cheapest configuration per request meeting every SLO, what binds it.
/// </summary>
public static class ConfigSearch
{
    /// <summary>
    /// The base configuration of a --search given no --tp: the smallest TP dividing the GPUs that passes the head and
    /// memory rules (TP 1 of a model too big for one GPU would stop the search before it starts).
    /// </summary>
    public static ServingSetup SmallestFittingTp(ServingSetup setup)
    {
        var gpus = setup.Deployment.Decode.Gpus;
        string? last = null;
        foreach (var (tp, model, why) in Deployments(setup, gpus, PhysicalParameters.Prior(setup.Device.Measured)))
        {
            if (model is not null) return model.Setup;
            last = $"TP {tp}: {why}";
        }
        throw new InputException("--gpus", gpus.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{setup.Model.Name} fits at no TP dividing the {gpus} GPUs ({last})");
    }

    /// <summary>Each TP dividing the GPUs, as replicas of one aggregated pool: its model, or the head or memory rule it breaks.</summary>
    private static IEnumerable<(int Tp, ServingModel? Model, string? Excluded)> Deployments(ServingSetup setup, int gpus, PhysicalParameters parameters)
    {
        for (var tp = 1; tp <= gpus; tp++)
        {
            if (gpus % tp != 0) continue;
            ServingModel? model = null;
            string? why = null;
            try { model = new ServingModel(setup with { Deployment = Deployment.Deployment.Aggregated(gpus, tp, gpus / tp) }, parameters); }
            catch (InputException e) { why = e.Reason; }
            yield return (tp, model, why);
        }
    }

    public static SearchResult Run(ServingSetup baseSetup, PhysicalParameters parameters, IReadOnlyList<SearchProfile> profiles, int gpus,
        LengthSampler lengths, IReadOnlyList<SloSpec> slos, int maxPrompts, int seed, string modelName, PredictionIntervals? intervals = null)
    {
        var rows = new List<SearchRow>();
        var excluded = new List<string>();
        var concurrencies = new List<int>();
        for (var c = 1; c <= baseSetup.Scheduler.MaxNumSeqs; c *= 2) concurrencies.Add(c);
        var meanContext = lengths.Isl + lengths.Osl / 2.0;
        foreach (var profile in profiles)
        {
            foreach (var (tp, candidate, why) in Deployments(baseSetup with { Device = profile.Device }, gpus, ParameterCarry.ForProfile(parameters, profile.Device)))
            {
                if (candidate is not { } model)
                {
                    excluded.Add($"{profile.Device.Hardware.Name} TP {tp}: {why}");
                    continue;
                }
                var jobs = concurrencies.Select(c => new LoadShape(c, null, Math.Min(maxPrompts, Math.Max(16, 4 * c)), 1, seed)).ToArray();
                var sims = new SimulationResult?[jobs.Length];
                var errors = new string?[jobs.Length];
                Parallel.For(0, jobs.Length, i =>
                {
                    try { sims[i] = model.Simulate(jobs[i], lengths); }
                    catch (InputException e) { errors[i] = e.Reason; }
                });
                for (var i = 0; i < jobs.Length; i++)
                {
                    if (sims[i] is not { } sim) { excluded.Add($"{profile.Device.Hardware.Name} TP {tp} c{jobs[i].Concurrency}: {errors[i]}"); continue; }
                    var point = PredictedPoint.Of(model, jobs[i], sim, slos, profile.DollarsPerGpuHour, meanContext);
                    // MaxRunning is per replica: the KV cache limits a replica that never ran its share of the requests at once.
                    var share = Math.Min((int)Math.Ceiling(jobs[i].Concurrency!.Value / (double)(gpus / tp)), baseSetup.Scheduler.MaxNumSeqs);
                    rows.Add(new SearchRow(profile.Device.Hardware.Name, tp, gpus / tp, point, sim.Preemptions > 0 || sim.MaxRunning < share, false));
                }
            }
        }
        var frontier = Cost.Pareto.Frontier(rows.Select(r => (r.Point.TokensPerGpu, r.Point.TokensPerUser)).ToList()).ToHashSet();
        rows = rows.Select((r, i) => r with { OnFrontier = frontier.Contains(i) }).ToList();
        var ok = rows.Where(r => r.Point.MeetsSlo != false && r.Point.CostPerRequest is not null).ToList();
        var cheapest = ok.OrderBy(r => r.Point.CostPerRequest).FirstOrDefault();
        string binding;
        string? serve = null, bench = null;
        if (cheapest is null)
            binding = rows.Count == 0 ? "no configuration fits (see excluded)" : slos.Count > 0 ? "no configuration meets every SLO" : "no price: give --gpu-hour-price";
        else
        {
            var c = cheapest.Point.Load.Concurrency!.Value;
            var next = rows.FirstOrDefault(r => r.Gpu == cheapest.Gpu && r.TensorParallel == cheapest.TensorParallel && r.Point.Load.Concurrency == 2 * c);
            var step = cheapest.Point.Sim.MeanStep;
            var bw = step.Weights + step.Kv;
            var bound = bw >= step.Compute + step.Attention ? $"bandwidth (weights + KV {bw / step.Total * 100:0}% of the step)" : $"compute (GEMM + attention {(step.Compute + step.Attention) / step.Total * 100:0}% of the step)";
            binding = next is null ? $"max-num-seqs ({baseSetup.Scheduler.MaxNumSeqs}); the step is {bound}"
                : next.KvLimited ? $"memory: at c{2 * c} the KV cache is full (requests wait or are preempted); the step is {bound}"
                : next.Point.MeetsSlo == false ? $"SLO: c{2 * c} misses {string.Join(", ", next.Point.MissedSlos)}; the step is {bound}"
                : $"cost: c{2 * c} costs more per request; the step is {bound}";
            var s = baseSetup.Scheduler;
            serve = FormattableString.Invariant($"vllm serve {modelName} --tensor-parallel-size {cheapest.TensorParallel} --max-num-seqs {s.MaxNumSeqs} --max-num-batched-tokens {s.MaxNumBatchedTokens} --gpu-memory-utilization {s.GpuMemoryUtilization} --block-size {s.BlockSize}")
                + (cheapest.Replicas > 1 ? $"  (x{cheapest.Replicas} replicas behind a load balancer)" : "");
            bench = FormattableString.Invariant($"vllm bench serve --model {modelName} --dataset-name random --random-input-len {lengths.Isl} --random-output-len {lengths.Osl} --max-concurrency {c} --request-rate inf --num-prompts {10 * c}");
        }
        var pessimistic = new List<string>();
        if (cheapest is not null && slos.Count > 0 && intervals is not null)
        {
            var target = new IntervalTarget(profiles.First(p => p.Device.Hardware.Name == cheapest.Gpu).Device.DatasheetKey ?? cheapest.Gpu,
                cheapest.TensorParallel, baseSetup.Weights.Quantized, lengths.Isl, lengths.Osl, cheapest.Point.Load.Concurrency, Predictor.Stream(cheapest.Point.Load.ClosedLoopConcurrency, cheapest.Point.Sim));
            foreach (var slo in slos)
            {
                var high = cheapest.Point.Sim.Stat(slo.Metric, slo.Stat) * Math.Exp(PredictionIntervals.Z90 * intervals.Spread($"{slo.Stat}_{slo.Metric}_ms", target));
                if (high > slo.ThresholdMs) pessimistic.Add($"{slo.Text} ({high:0.#} ms at the pessimistic end)");
            }
        }
        return new SearchResult(rows, excluded, cheapest, binding, serve, bench)
        {
            CheapestMeetsSloPessimistic = cheapest is null || slos.Count == 0 || intervals is null ? null : pessimistic.Count == 0, PessimisticMisses = pessimistic,
        };
    }
}
