using System.CommandLine;
using System.Globalization;
using Micro.Cli.Options;
using Micro.Core.Models;
using Micro.EndToEnd.Cost;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Metrics;
using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.SpeedOfLight;
using Micro.EndToEnd.Traffic;
using Micro.Reports.Prediction;
using Micro.Reports.Traffic;

namespace Micro.Cli.Commands;

/// <summary>`micro predict`: a calibrated step-time model and serving simulation for configurations nobody has run yet.</summary>
public static class PredictCommand
{
    public static Command Build()
    {
        var cmd = new Command("predict", "Predict vLLM serving latency, throughput and cost from the measured profile (optionally calibrated on real runs)");
        var model = new Option<string>("--model") { Description = $"Hugging Face config.json or preset ({string.Join(", ", ModelPresets.Names)})", Required = true };
        var ceilings = new Option<string[]>("--ceilings") { Description = "ceilings.json from `micro run` (results.jsonl beside it adds GEMM/attention/collective points); several with --search", AllowMultipleArgumentsPerToken = true };
        var gpu = new Option<string?>("--gpu") { Description = "GPU datasheet entry instead of a measured profile: every figure says 'datasheet, not measured'" };
        var device = new Option<string?>("--device") { Description = "Which device of the ceilings file (substring of its name)" };
        var ep = new Option<int>("--ep") { Description = "Expert-parallel size (vLLM: TP x DP with --enable-expert-parallel). Up to --tp: whole experts split over a replica's ranks, combined by TP's all_reduce; above it (DP attention): each replica one DP rank, all_to_all dispatch and combine per MoE layer", DefaultValueFactory = _ => 1 };
        var isl = new Option<int?>("--isl") { Description = "Prompt tokens (default: the calibration runs' mean, else 1024)" };
        var osl = new Option<int?>("--osl") { Description = "Output tokens (default: the calibration runs' mean, else 1024)" };
        var workload = new Option<string?>("--workload") { Description = "A trace replayed at its own times (Azure CSV, Mooncake JSONL, CSV arrival_s,input_tokens,output_tokens), or a vLLM result file whose per-request lengths are sampled" };
        var conc = new Option<string?>("--concurrency") { Description = "Closed-loop concurrencies, comma-separated (default 1,2,4,...,256 when no --request-rate)" };
        var rate = new Option<string?>("--request-rate") { Description = "Open-loop request rates (req/s), comma-separated; with --concurrency both apply (a rate capped by a concurrency)" };
        var prompts = new Option<int>("--num-prompts") { Description = "Requests per point (vLLM's default 1000)", DefaultValueFactory = _ => 1000 };
        var rangeRatio = new Option<double>("--random-range-ratio") { Description = "How runs that state only mean lengths drew them, and the predicted loads' lengths: uniform around the mean with vLLM's range ratio (InferenceX: 0.8; 1 = fixed)", DefaultValueFactory = _ => 1 };
        var keepPinned = new Option<bool>("--keep-pinned-fit") { Description = "Keep a calibration whose parameters end pinned at a physical bound (the runs are not explained inside physics) instead of refusing it; the parameters table says which, and the check shows how far it carries" };
        var ttftStat = new Option<string>("--runs-ttft-stat") { Description = "What the runs' median_ttft_ms is compared with, for tables that do not say: median (vLLM's meaning), mean, or auto (whichever the calibration runs fit better)", DefaultValueFactory = _ => "median" };
        var burst = new Option<double>("--burstiness") { Description = "Gamma shape of the arrival gaps (1 = Poisson), as vLLM", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed of arrivals and sampled lengths", DefaultValueFactory = _ => 0 };
        var maxSeqs = new Option<int?>("--max-num-seqs") { Description = "vLLM max_num_seqs (default: vLLM v1's, 1024 on >= 70 GiB GPUs else 256)" };
        var maxTokens = new Option<int?>("--max-num-batched-tokens") { Description = "vLLM max_num_batched_tokens (default: 8192 on >= 70 GiB GPUs else 2048)" };
        var memUtil = new Option<double>("--gpu-memory-utilization") { Description = "Fraction of GPU memory for weights + KV cache", DefaultValueFactory = _ => 0.9 };
        var block = new Option<int>("--block-size") { Description = "KV-cache block size in tokens", DefaultValueFactory = _ => 16 };
        var weightDtype = new Option<string?>("--weight-dtype") { Description = "bf16, fp16, fp8, int8, mxfp4, mxfp4_mxfp8 (MXFP8 activations, Blackwell), nvfp4, int4, or a vLLM --quantization method (modelopt, modelopt_fp4, fbgemm_fp8, compressed-tensors, awq, gptq; read with config.json's quantization_config) (default: from config.json)" };
        var kvDtype = new Option<string>("--kv-dtype") { Description = "KV-cache dtype: bf16, fp16, fp32, or vLLM's --kv-cache-dtype values (auto = the model's dtype, fp8, fp8_e4m3, fp8_e5m2, fp8_inc, fp8_ds_mla); runs that state kv_cache_dtype keep theirs", DefaultValueFactory = _ => "bf16" };
        var calibrate = new Option<string[]>("--calibrate") { Description = "Real vLLM runs (files or sweep directories) to fit the physical parameters on; repeatable", AllowMultipleArgumentsPerToken = true };
        var calibration = new Option<string?>("--calibration") { Description = "calibration.json (written by --calibrate --out) to apply to this GPU, TP, workload or load instead of fitting" };
        var check = new Option<string[]>("--check") { Description = "Real vLLM runs to compare the prediction with (never fitted on); repeatable", AllowMultipleArgumentsPerToken = true };
        var slo = new Option<string[]>("--slo") { Description = "Latency objective, repeatable: \"p99:tpot<=50ms\"" };
        var price = new Option<double[]>("--gpu-hour-price") { Description = "USD per GPU-hour; several pair with several --ceilings by order (default: built-in typical price)", AllowMultipleArgumentsPerToken = true };
        var verbose = new Option<bool>("--verbose") { Description = "Print every source, parameter, deployment and per-run row (they are in prediction.json and the report anyway)" };
        var search = new Option<bool>("--search") { Description = "Sweep TP (divisors of --gpus) x concurrency (powers of two to max-num-seqs) x GPU type (each --ceilings)" };
        var output = CommonOptions.Out();
        var force = new Option<bool>("--force") { Description = "Run a prediction past the work limits (docs/limits.md) instead of refusing it" };
        foreach (var o in new Option[] { model, ceilings, gpu, device, ep, isl, osl, workload, conc, rate, prompts, rangeRatio, ttftStat, keepPinned, burst, seed, maxSeqs, maxTokens, memUtil, block, weightDtype, kvDtype, calibrate, calibration, check, slo, price, search, verbose, output, force })
            cmd.Options.Add(o);
        var deployment = DeploymentOptions.AddTo(cmd);
        var traffic = TrafficOptions.AddTo(cmd);
        cmd.SetAction(pr =>
        {
            var stdout = pr.InvocationConfiguration.Output;
            var modelArg = pr.GetValue(model)!;
            var config = ModelPresets.Resolve(modelArg);
            if (config.VocabSize == 0 || config.IntermediateSize == 0 && config.MoeIntermediateSize is null)
                throw new UsageException($"--model '{modelArg}': the config has no vocab_size or intermediate_size; predict needs the full Hugging Face config.json (every linear layer)");
            var ceilingPaths = pr.GetValue(ceilings) ?? [];
            var gpuName = pr.GetValue(gpu);
            if (gpuName is not null && ceilingPaths.Length > 0) throw new UsageException("give --gpu or --ceilings, not both");
            if (gpuName is null && ceilingPaths.Length == 0) throw new UsageException("predict needs a profile: --ceilings ceilings.json (measured) or --gpu NAME (datasheet)");
            var profiles = gpuName is not null ? [DeviceProfile.FromDatasheet(gpuName)] : ceilingPaths.Select(p => DeviceProfile.FromCeilings(p, pr.GetValue(device))).ToArray();
            var prices = pr.GetValue(price) ?? [];
            foreach (var p in prices) CommonOptions.Positive(p, "--gpu-hour-price");
            if (prices.Length > 1 && prices.Length != profiles.Length) throw new UsageException($"{prices.Length} --gpu-hour-price values for {profiles.Length} --ceilings profiles: give one per profile, in the same order");
            var priced = profiles.Select((d, i) => Price(prices.Length == 0 ? null : prices[Math.Min(i, prices.Length - 1)], d)).ToArray();
            var dep = deployment.Bind(pr);
            var e = pr.GetValue(ep);
            if (e < 1) throw new UsageException("--ep must be at least 1");
            var device0 = profiles[0];
            var defaults = SchedulerConfig.VllmDefaults(device0.MemoryGB.Value);
            var scheduler = new SchedulerConfig(pr.GetValue(maxSeqs) ?? defaults.MaxNumSeqs, pr.GetValue(maxTokens) ?? defaults.MaxNumBatchedTokens, pr.GetValue(memUtil), pr.GetValue(block));
            var setup = new ServingSetup
            {
                Model = config, Weights = WeightFormat.For(config, pr.GetValue(weightDtype)),
                KvBytesPerElement = KvCacheDtype.BytesOf(pr.GetValue(kvDtype)!, config, "--kv-dtype"), Device = device0, Deployment = dep,
                ExpertParallel = e, Scheduler = scheduler,
            };
            if (pr.GetValue(search) && dep.Disaggregated)
                throw new UsageException("--search sizes aggregated deployments only (TP x replicas over --gpus); it does not search prefill/decode pool sizes: give --gpus N instead of the pools, or predict each pool layout without --search");
            if (pr.GetValue(search) && !dep.Disaggregated && pr.GetValue(deployment.TensorParallel) is null)
                setup = ConfigSearch.SmallestFittingTp(setup);
            var n = pr.GetValue(prompts);
            if (n < 1) throw new UsageException("--num-prompts must be at least 1");
            var b = pr.GetValue(burst);
            if (!(b > 0) || !double.IsFinite(b)) throw new UsageException("--burstiness must be a positive number");
            var s = pr.GetValue(seed);
            var concurrencies = List(pr.GetValue(conc), "--concurrency", x => int.Parse(x, CultureInfo.InvariantCulture)).Select(c => c < 1 ? throw new UsageException("--concurrency values must be at least 1") : c).ToList();
            var rates = List(pr.GetValue(rate), "--request-rate", x => double.Parse(x, CultureInfo.InvariantCulture)).Select(r => !(r > 0) || !double.IsFinite(r) ? throw new UsageException("--request-rate values must be positive numbers") : r).ToList();
            var trace = traffic.Trace(pr, pr.GetValue(workload), rates.Count == 1 ? rates[0] : rates.Count > 1 && pr.GetValue(workload) is not null ? throw new UsageException("give one --request-rate with a trace (it rescales the trace's mean rate)") : null);
            var loads = new List<LoadShape>();
            if (trace is not null) loads.Add(new LoadShape(concurrencies.Count > 0 ? concurrencies[0] : null, null, trace.Requests.Count) { Trace = trace });
            else if (rates.Count == 0)
                loads.AddRange((concurrencies.Count > 0 ? concurrencies : [1, 2, 4, 8, 16, 32, 64, 128, 256]).Select(c => new LoadShape(c, null, n, b, s)));
            else if (concurrencies.Count == 0) loads.AddRange(rates.Select(r => new LoadShape(null, r, n, b, s)));
            else loads.AddRange(concurrencies.SelectMany(c => rates.Select(r => new LoadShape(c, r, n, b, s))));
            loads = loads.Select(l => traffic.Limit(pr, l)).ToList();
            var request = new PredictionRequest
            {
                Setup = setup, Loads = loads, Lengths = trace is not null ? TraceLengths(trace, pr.GetValue(isl), pr.GetValue(osl)) : Lengths(pr.GetValue(isl), pr.GetValue(osl), pr.GetValue(workload)),
                WindowSeconds = traffic.Windows(pr),
                Calibrate = Load(pr.GetValue(calibrate)), Check = Load(pr.GetValue(check)),
                Slos = (pr.GetValue(slo) ?? []).Select(SloSpec.Parse).ToList(),
                GpuHourPrice = priced[0].Price, PriceSource = priced[0].Source,
                Search = pr.GetValue(search) ? profiles.Select((d, i) => new SearchProfile(d, priced[i].Price, priced[i].Source)).ToList() : [],
                SearchGpus = dep.BilledGpus, Seed = s, ModelName = config.ModelId,
                Calibration = pr.GetValue(calibration) is { } cpath ? (CalibrationFiles.Read(cpath), cpath) : null,
                RangeRatio = pr.GetValue(rangeRatio) is var rr && rr is > 0 and <= 1 ? rr : throw new UsageException("--random-range-ratio must be in (0, 1]"),
                KeepPinnedFit = pr.GetValue(keepPinned),
                RunsTtftStatistic = pr.GetValue(ttftStat) switch
                {
                    "median" => RunsTtftStatistic.Median, "mean" => RunsTtftStatistic.Mean, "auto" => RunsTtftStatistic.Auto,
                    _ => throw new UsageException("--runs-ttft-stat must be median, mean or auto"),
                },
                SchedulerFor = d =>
                {
                    var dd = SchedulerConfig.VllmDefaults(d.MemoryGB.Value);
                    return new SchedulerConfig(pr.GetValue(maxSeqs) ?? dd.MaxNumSeqs, pr.GetValue(maxTokens) ?? dd.MaxNumBatchedTokens, pr.GetValue(memUtil), pr.GetValue(block));
                },
            };
            if (request.Calibration is not null && request.Calibrate.Count > 0) throw new UsageException("give --calibrate (fit now) or --calibration FILE (apply a fitted one), not both");
            if (pr.GetValue(output) is { } target) Micro.Core.Results.OutputDirectory.Check(target.FullName);
            // Past a limit this refuses at once; long work is announced once the runs have been checked (bad input stays
            // one line) and then says how far it has got.
            var announcement = new StringWriter();
            WorkBudget.Estimate(request).Enforce(pr.GetValue(force), announcement);
            if (announcement.ToString() is { Length: > 0 } said)
            {
                var err = pr.InvocationConfiguration.Error;
                request = request with { WorkStarts = () => err.Write(said), Progress = line => err.WriteLine("micro: predict: " + Micro.Core.Text.ConsoleText.OneLine(line)) };
            }
            var result = Predictor.Run(request);
            if (traffic.QualityTableOf(pr) is { } qualityTable) result = result with { Points = qualityTable.Join(result.Model.Setup, result.Points) };
            if (pr.GetValue(traffic.Plan))
            {
                var planned = trace ?? (rates.Count == 1 ? TraceReplay.Poisson(rates[0], n, result.Lengths, s) : throw new UsageException("--plan needs a trace (--workload) or one --request-rate"));
                var plan = traffic.RunPlan(pr, result, [.. profiles.Select((d, i) => (d, priced[i].Price, priced[i].Source))], pr.GetValue(weightDtype), traffic.Limit(pr, new LoadShape(null, null, planned.Requests.Count) { Trace = planned }));
                result = result with { Plan = plan };
            }
            PredictionConsole.Print(stdout, result, pr.GetValue(verbose));
            PlanConsole.PrintReplays(stdout, result);
            if (result.Plan is { } planResult) PlanConsole.Print(stdout, planResult);
            if (pr.GetValue(output) is { } dir)
            {
                foreach (var f in PredictionOutput.WriteAll(result, dir.FullName)) stdout.WriteLine("wrote " + f);
                if (result.Plan is { } planOut) foreach (var f in PlanOutput.WriteAll(planOut, dir.FullName)) stdout.WriteLine("wrote " + f);
                if (Micro.Reports.Plots.PlotSupport.UnavailableReason is { } why) pr.InvocationConfiguration.Error.WriteLine("micro: " + why);
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static (double? Price, string Source) Price(double? given, DeviceProfile d)
    {
        if (given is { } p) return (p, "--gpu-hour-price");
        var known = GpuPrices.Find(d.DatasheetKey) ?? GpuPrices.Find(d.Hardware.Name);
        return known is null ? (null, "no price: costs n/a (give --gpu-hour-price)") : (known.DollarsPerGpuHour, "built-in typical price: " + known.Source);
    }

    private static IReadOnlyList<BenchmarkPoint> Load(string[]? paths) => paths is { Length: > 0 } ? ResultSetLoader.Load(paths) : [];

    private static LengthSampler? Lengths(int? isl, int? osl, string? workload)
    {
        if (isl is < 1 || osl is < 1) throw new UsageException("--isl and --osl must be at least 1");
        if (workload is not null)
        {
            if (isl is not null || osl is not null) throw new UsageException("give --isl/--osl or --workload, not both");
            var p = ResultSetLoader.Load([workload])[0];
            var (_, lengths) = RunMetrics.Workload(p, 0);
            return lengths;
        }
        if (isl is null && osl is null) return null;
        return new LengthSampler(isl ?? 1024, osl ?? 1024, Source: "--isl/--osl");
    }

    /// <summary>A trace's own lengths (their means stand for ISL/OSL where one figure is needed).</summary>
    private static LengthSampler TraceLengths(Micro.EndToEnd.Traffic.RequestTrace trace, int? isl, int? osl)
    {
        if (isl is not null || osl is not null) throw new UsageException("give --isl/--osl or a trace --workload, not both");
        var input = trace.Requests.Select(q => Math.Max(1, q.InputTokens)).ToArray();
        var output = trace.Requests.Select(q => Math.Max(1, q.OutputTokens)).ToArray();
        return new LengthSampler((int)Math.Round(input.Average()), (int)Math.Round(output.Average()), input, output, $"{trace.FormatName} {trace.Source} ({trace.Requests.Count} requests over {trace.Span:0.#} s)");
    }

    private static List<T> List<T>(string? text, string name, Func<string, T> parse)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        try { return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToList(); }
        catch (FormatException) { throw new UsageException($"{name} '{text}': expected comma-separated numbers"); }
        catch (OverflowException) { throw new UsageException($"{name} '{text}': a value is out of range"); }
    }
}
