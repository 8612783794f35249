using Micro.EndToEnd.Cost;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Analysis;

/// <summary>Turns benchmark points into analysis.json: per-point figures, Pareto frontiers, chosen points, diagnosis.</summary>
public static class Analyzer
{
    public const string SolFormula =
        "decode: t_step = max((W_active/TP + B*KV(ctx)/kv_split) / BW, 2*P_active*B/TP / GEMM); " +
        "W_active = dense weights + expert bytes * E*(1-(1-k/E)^B) per MoE layer; KV(ctx) = sum over layers of min(ctx, window) * kv bytes/token/layer; " +
        "ctx = mean input + mean output/2; B = concurrency / decode replicas; sol_output_throughput = replicas * B / t_step; " +
        "sol_fraction = measured output tok/s / sol_output_throughput; " +
        "prefill: t_prefill = (2*(P_active - lm_head)*ISL + 2*lm_head + causal attention FLOPs) / TP_prefill / GEMM (the embedding is a lookup); " +
        "sol_request_throughput = replicas / (t_prefill + OSL * t_step / B) aggregated, min(prefill replicas / t_prefill, decode replicas * B / (OSL * t_step)) disaggregated";

    public static AnalysisResult Analyze(IReadOnlyList<BenchmarkPoint> input, AnalysisOptions o, IReadOnlyList<string> inputs, IReadOnlyList<string>? warnings = null)
    {
        if (input.Count == 0) throw new Core.Results.InputException(inputs.FirstOrDefault() ?? "(inputs)", null, "no benchmark points to analyze");
        var points = input.Select(p => PointAnalyzer.Analyze(p, o))
            .OrderBy(p => p.Concurrency ?? double.MaxValue).ThenBy(p => p.Source, StringComparer.Ordinal).ToList();
        if (o.Quality is { } table) points = WithQuality(points, o, table);

        var frontiers = new ParetoFrontiers
        {
            ThroughputPerGpuVsPerUser = Pareto.Frontier(points.Select(p => (p.PerUserTokensPerSecond ?? double.NaN, p.OutputThroughputPerGpu)).ToList()),
            LatencyVsRequestRate = Pareto.Frontier(points.Select(p => (p.RequestThroughput, -(p.Latency("mean", "e2el") ?? double.NaN))).ToList()),
        };
        var topIndex = Enumerable.Range(0, points.Count).MaxBy(i => points[i].OutputThroughput);
        var top = Choose(points, topIndex, o);
        ChosenPoint? op = null;
        string? note = null;
        if (o.Slos.Count == 0) note = "no --slo given";
        else
        {
            var meeting = Enumerable.Range(0, points.Count).Where(i => points[i].MeetsSlo == true).ToList();
            // The cheapest per request is the one with the most requests per second on the same GPUs: no price needed.
            if (meeting.Count > 0) op = Choose(points, meeting.MaxBy(i => points[i].RequestThroughput), o);
            else note = points.Any(p => p.MeetsSlo is null)
                ? "some points could not be judged (their files lack the statistic the SLO names)"
                : "every point misses at least one objective";
        }

        var result = new AnalysisResult
        {
            Inputs = inputs, Slos = o.Slos.Select(s => s.Text).ToList(), Gpus = o.Gpus, Deployment = o.Deployment, GpuHourPrice = o.GpuHourPrice, PriceSource = o.PriceSource,
            SpeedOfLight = o.Sol is { } sol ? Summary(sol, o) : null,
            Assumptions = Assumptions(o, points),
            Points = points, QualitySource = o.Quality?.Source, Pareto = frontiers, ThroughputOptimal = top, OperatingPoint = op, OperatingPointNote = note,
            InterpolatedOperatingPoint = o.Interpolate ? Interpolation.OperatingPoint(points, o) : null,
            Diagnosis = [],
            ClosestToSol = Enumerable.Range(0, points.Count).Where(i => points[i].SolFraction is <= 1).Select(i => (int?)i)
                .MaxBy(i => points[i!.Value].SolFraction) is { } ci ? Choose(points, ci, o) : null,
            Warnings = [.. warnings ?? [], .. ModelIdWarning(points)],
        };
        return result with { Diagnosis = Diagnose.Overall(result, o) };
    }

    /// <summary>
    /// Each run's row of the quality table, looked up by its file name (without extension), then its deployment label
    /// and model/weight dtype ("NVIDIA H100 SXM5 80GB TP4 fp8", "llama-3.1-70b/fp8": with --model), then the file's
    /// model_id with --weight-dtype; the frontier over the runs that meet the SLO (all runs when none is given).
    /// </summary>
    private static List<PointAnalysis> WithQuality(List<PointAnalysis> points, AnalysisOptions o, Traffic.QualityTable table)
    {
        IReadOnlyList<string> Keys(PointAnalysis p)
        {
            var keys = new List<string> { Path.GetFileNameWithoutExtension(p.Source) };
            if (o.Sol is { } sol) keys.AddRange(Traffic.QualityTable.KeysOf(sol.Hardware.Name, o.TensorParallel, sol.Model.Name, sol.Weights.Quantized));
            if (o.WeightDtype is { } dtype && p.ModelId is { } id) keys.Add($"{id}/{dtype}");
            return keys;
        }
        var joined = table.Join([.. points.Select(p => new Traffic.QualityCandidate(Keys(p), p.CostPer1MOutputTokens, p.MeetsSlo ?? o.Slos.Count == 0))]);
        return [.. points.Select((p, i) => p with
        {
            Quality = joined[i].Entry?.Score, QualityKey = joined[i].Entry?.Key, QualityShareBelowFloor = joined[i].Entry?.ShareBelowFloor, OnQualityFrontier = joined[i].OnFrontier,
        })];
    }

    private static IEnumerable<string> ModelIdWarning(IReadOnlyList<PointAnalysis> points)
    {
        var ids = points.Select(p => p.ModelId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count > 1)
            yield return $"the files name {ids.Count} different model_ids ({string.Join(", ", ids.Take(4))}{(ids.Count > 4 ? ", ..." : "")}): " +
                         "one speed of light and one frontier assume one model; analyze each model's files apart";
    }

    private static ChosenPoint Choose(IReadOnlyList<PointAnalysis> points, int i, AnalysisOptions o)
    {
        var p = points[i];
        MonthlyCost? m = null;
        if (o.RequestsPerMonth is { } rpm && o.DollarsPerHour is { } perHour)
        {
            var tokens = p.MeanInputTokens + p.MeanOutputTokens;
            double? revenue = o.PricePerRequest ?? (o.PricePer1MTokens is { } pt ? pt * tokens / 1e6 : null);
            m = CostModel.Monthly(rpm, o.PeakFactor, p.RequestThroughput, perHour, revenue);
        }
        return new ChosenPoint
        {
            Index = i, Source = p.Source, Concurrency = p.Concurrency, OutputThroughput = p.OutputThroughput,
            RequestThroughput = p.RequestThroughput, CostPerRequest = p.CostPerRequest, MeetsSlo = p.MeetsSlo,
            UnitMonthlyCost = m?.UnitMonthlyCost, ProvisionedMonthlyCost = m?.ProvisionedMonthlyCost, MonthlyCostDelta = m?.MonthlyCostDelta,
            Replicas = m?.Replicas, Margin = m?.Margin, Monthly = m,
        };
    }

    private static SolSummary Summary(SolModel sol, AnalysisOptions o) => new()
    {
        Model = sol.Model.Name, Hardware = sol.Hardware.Name, HardwareLabel = sol.Hardware.Label, HardwareSource = sol.Hardware.Source,
        BandwidthGBps = sol.Hardware.BandwidthGBps, GemmTflops = sol.GemmTflops, TensorParallel = sol.TensorParallel,
        DecodeReplicas = o.DecodeReplicas, PrefillTensorParallel = o.Deployment.PrefillTensorParallel,
        ParameterCountMode = sol.Mode == ParameterCountMode.DecodeReads
            ? "decode-reads: every linear layer and the lm_head, only B rows of the embedding table"
            : "all-parameters: every parameter including the whole embedding table (the simple form)",
        TotalParameters = sol.Parameters.Total, ActiveParametersPerToken = sol.ActiveParameters,
        WeightAssumption = sol.Weights.Assumption, KvBytesPerElement = sol.KvBytesPerElement, Formula = SolFormula,
    };

    private static List<string> Assumptions(AnalysisOptions o, IReadOnlyList<PointAnalysis> points)
    {
        var a = new List<string>
        {
            "Deployment: " + o.Deployment.Describe() + ".",
            o.GpuHourPrice is null
                ? $"{o.Gpus} GPU(s) billed per deployment; no price: {o.PriceSource}."
                : $"{o.Gpus} GPU(s) billed per deployment at {Fmt.Usd(o.GpuHourPrice)}/GPU-h ({o.PriceSource}); instance time is billed whole, idle included.",
            "Failed or dropped requests are not useful work: cost per request divides by completed requests only.",
            o.Interpolate
                ? "The operating point is the measured point meeting every SLO at the lowest cost per request; the interpolated one (asked for) assumes latency and throughput linear in log2(concurrency) between two measured points."
                : "The operating point is the measured point meeting every SLO at the lowest cost per request; no interpolation between points.",
            $"A month is {CostModel.HoursPerMonth} hours; replicas = ceil(peak load / capacity at the point), peak = average x {Fmt.N(o.PeakFactor, 2)}.",
        };
        if (o.Sol is { } s)
        {
            a.Add($"Speed of light uses {s.Hardware.Name} {s.Hardware.Label}: {Fmt.N(s.Hardware.BandwidthGBps)} GB/s, {Fmt.N(s.GemmTflops, 1)} TFLOP/s GEMM ({(s.GemmTflops != s.Hardware.GemmTflops ? "gemm_fp8 for fp8 weights: " + s.Hardware.Fp8Source : "bf16 rate; only fp8 weights use the fp8 rate")}).");
            a.Add($"Weights: {s.Weights.Assumption}. KV cache {Fmt.N(s.KvBytesPerElement, 2)} bytes/element.");
            a.Add(s.Hardware.MemoryBoundWatts is not null || s.Hardware.ComputeBoundWatts is not null
                ? $"Energy floor per output token at speed of light (sol_energy_per_output_token_j): measured board power at the bound ({(s.Hardware.MemoryBoundWatts is { } mw ? Fmt.N(mw) + " W memory-bound" : "memory-bound n/a")}, {(s.Hardware.ComputeBoundWatts is { } cw ? Fmt.N(cw) + " W compute-bound" : "compute-bound n/a")}, NVML energy counter) x TP x SoL step time / batch; GPU boards only (no host, network, cooling)."
                : "Energy floor per output token: n/a (needs a measured ceilings profile whose ceilings carry average_w).");
            a.Add($"Decode replica TP {s.TensorParallel}, {o.DecodeReplicas} decode replica(s); weights and FLOPs divided by TP, KV by {s.KvSplit} (" +
                  (s.Model.IsMla ? "MLA latent replicated on every rank)." : "KV heads split across ranks, replicated past n_kv).") );
            if (o.Deployment.Prefill is { } pp)
                a.Add($"Prefill speed of light on the prefill pool: TP {pp.TensorParallel}, {pp.Replicas} replica(s); sol_request_throughput is the lower of the two pools' capacities.");
        }
        if (points.Any(p => p.LatencySource.StartsWith("as stated", StringComparison.Ordinal)))
            a.Add("Points without per-request arrays use the latency statistics their files state; goodput is unknown for them.");
        return a;
    }
}
