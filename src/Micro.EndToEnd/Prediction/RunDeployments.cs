using System.Collections.Concurrent;
using System.Globalization;
using Micro.Core.Hardware;
using Micro.Core.Results;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Prediction;

/// <summary>One part of a run's deployment and where it came from: "file" (the run's `--metadata` key) or "flag" (the command's).</summary>
public sealed record DeploymentPart(string Key, string Value, string From);

/// <summary>The deployment a run is simulated on: its own setup, a short label, and each part with its origin.</summary>
public sealed record RunDeployment(string Source, ServingSetup Setup, string Label, IReadOnlyList<DeploymentPart> Parts)
{
    /// <summary>What the run shares with another for the purpose of intervals: GPU, TP, workload and weights.</summary>
    public string GpuKey => Setup.Device.DatasheetKey ?? Setup.Device.Hardware.Name;
}

/// <summary>
/// Resolves each run's deployment from the keys it carries (RunMetadata), the command's flags filling what it lacks, and
/// builds one ServingModel per distinct deployment (cached: 45 runs of 9 deployments build 9 models).
/// </summary>
public sealed class RunDeployments
{
    private readonly ServingSetup _command;
    private readonly Func<DeviceProfile, SchedulerConfig> _scheduler;
    private readonly ConcurrentDictionary<string, DeviceProfile> _profiles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ServingModel> _models = new(StringComparer.Ordinal);

    /// <param name="command">The command's setup (its --gpu/--ceilings, --tp/--ep, --weight-dtype, --kv-dtype).</param>
    /// <param name="scheduler">The scheduler limits on a GPU (the command's flags, else vLLM's defaults for that GPU's memory).</param>
    /// <param name="rangeRatio">How runs that state only mean lengths drew them (vLLM's --random-range-ratio; 1 = fixed).</param>
    public RunDeployments(ServingSetup command, Func<DeviceProfile, SchedulerConfig> scheduler, double rangeRatio = 1)
    {
        RangeRatio = rangeRatio;
        _command = command;
        _scheduler = scheduler;
    }

    public double RangeRatio { get; }

    /// <summary>The statistic a run's stated `median_ttft_ms` is compared with: the median (vLLM's meaning), or the mean for
    /// tables that do not say which they report (--runs-ttft-stat); never Auto here (the predictor resolves it).</summary>
    public RunsTtftStatistic TtftStatistic { get; init; } = RunsTtftStatistic.Median;

    /// <summary>The simulated figure a run's metric is compared with.</summary>
    public double Predicted(SimulationResult sim, string metric) =>
        RunMetrics.Predicted(sim, metric == "median_ttft_ms" && TtftStatistic == RunsTtftStatistic.Mean ? "mean_ttft_ms" : metric);

    public RunDeployment Resolve(BenchmarkPoint run)
    {
        var md = run.Metadata;
        var parts = new List<DeploymentPart>();
        var c = _command;

        var device = c.Device;
        if (md.Gpu is { } gpu)
        {
            device = Profile(run.Source, gpu);
            parts.Add(new("gpu", gpu, "file"));
        }
        else parts.Add(new("gpu", c.Device.DatasheetKey ?? c.Device.Hardware.Name, "flag"));

        var weights = c.Weights;
        if (md.Quantization is { } q && !q.Equals("auto", StringComparison.OrdinalIgnoreCase) && !q.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            try { weights = WeightFormat.For(c.Model, q); }
            catch (InputException e) { throw new InputException(run.Source, "quantization", e.Reason); }
            parts.Add(new("quantization", q, "file"));
        }
        else parts.Add(new("quantization", c.Weights.Quantized, "flag"));

        var kvBytes = c.KvBytesPerElement;
        if (md.KvCacheDtype is { } kvd)
        {
            try { kvBytes = KvCacheDtype.BytesOf(kvd, c.Model, run.Source, "kv_cache_dtype"); }
            catch (InputException e) { throw new InputException(run.Source, "kv_cache_dtype", e.Reason); }
            parts.Add(new("kv_cache_dtype", kvd, "file"));
        }
        else parts.Add(new("kv_cache_dtype", KvDtypeName(kvBytes), "flag"));

        if (Int(run, md.PipelineParallelSize, "pipeline_parallel_size") is { } pp && pp > 1)
            throw new InputException(run.Source, "pipeline_parallel_size", $"{Str(pp)}: pipeline parallelism is not modelled (Micro predicts TP, EP and DP deployments)");
        var epFile = Int(run, md.ExpertParallelSize, "expert_parallel_size");
        var enableEp = Bool(run, md.EnableExpertParallel, "enable_expert_parallel");

        var deployment = c.Deployment;
        var statedDp = 1;
        var prefillKeys = new[] { md.PrefillGpus, md.PrefillTp, md.DecodeGpus, md.DecodeTp };
        if (prefillKeys.Any(k => k is not null))
        {
            if (prefillKeys.Any(k => k is null))
                throw new InputException(run.Source, "prefill_gpus", "a disaggregated run needs all of prefill_gpus, prefill_tp, decode_gpus and decode_tp");
            var pg = Int(run, md.PrefillGpus, "prefill_gpus")!.Value;
            var pt = Int(run, md.PrefillTp, "prefill_tp")!.Value;
            var dg = Int(run, md.DecodeGpus, "decode_gpus")!.Value;
            var dt = Int(run, md.DecodeTp, "decode_tp")!.Value;
            if (pg % pt != 0) throw new InputException(run.Source, "prefill_tp", $"{pt} does not divide prefill_gpus {pg}");
            if (dg % dt != 0) throw new InputException(run.Source, "decode_tp", $"{dt} does not divide decode_gpus {dg}");
            deployment = Deployment.Deployment.Split(new(pg, pt), new(dg, dt));
            parts.Add(new("pools", $"prefill {pg}x TP{pt}, decode {dg}x TP{dt}", "file"));
        }
        else
        {
            var tpFile = Int(run, md.TensorParallelSize, "tensor_parallel_size");
            var dpFile = Int(run, md.DataParallelSize, "data_parallel_size");
            statedDp = dpFile ?? 1;
            if (tpFile is not null || dpFile is not null)
            {
                if (c.Deployment.Disaggregated && tpFile is not null)
                    throw new InputException(run.Source, "tensor_parallel_size", "the command describes disaggregated pools; a run with tensor_parallel_size needs prefill_gpus/prefill_tp/decode_gpus/decode_tp to be one of them");
                var tp = tpFile ?? c.Deployment.Decode.TensorParallel;
                var dp = dpFile ?? 1;
                deployment = Deployment.Deployment.Aggregated(tp * dp, tp, dp);
            }
            parts.Add(new("tensor_parallel_size", Str(deployment.Decode.TensorParallel), tpFile is null ? "flag" : "file"));
            parts.Add(new("data_parallel_size", Str(Math.Max(1, deployment.Decode.Gpus / deployment.Decode.TensorParallel)), dpFile is null ? "flag" : "file"));
        }

        // vLLM's --enable-expert-parallel spreads an MoE's experts over all TP x DP ranks (a dense model ignores it).
        var ep = c.ExpertParallel;
        if (epFile is { } stated && (stated > 1 || statedDp == 1 || !c.Model.IsMoe)) { ep = stated; parts.Add(new("expert_parallel_size", Str(stated), "file")); }
        else if (enableEp == true && c.Model.IsMoe)
        {
            ep = deployment.Decode.TensorParallel * statedDp;
            parts.Add(new("enable_expert_parallel", "true", "file"));
            parts.Add(new("expert_parallel_size", Str(ep), "file"));
        }
        else if (statedDp > 1 && c.Model.IsMoe)
        {
            // Without expert parallelism (none stated, or 1) vLLM still shards an MoE's experts over all TP x DP ranks (FusedMoEParallelConfig
            // flattens TP across DP) and gathers every DP rank's tokens for them; modelled as EP over those ranks.
            ep = deployment.Decode.TensorParallel * statedDp;
            if (c.Model.NumExperts is { } experts && experts % ep != 0)
                throw new InputException(run.Source, "data_parallel_size", $"{Str(statedDp)} x tensor_parallel_size {Str(deployment.Decode.TensorParallel)} = {Str(ep)} ranks, over which vLLM shards the MoE layers, does not divide the {Str(experts)} experts (Micro models that sharding as expert parallelism)");
            parts.Add(new("expert_parallel_size", Str(ep), "file"));
        }
        else parts.Add(new("expert_parallel_size", Str(ep), "flag"));

        var (scheduler, limits) = SchedulerOf(run, ReferenceEquals(device, c.Device) ? c.Scheduler : _scheduler(device), parts);
        var setup = c with
        {
            Device = device, Weights = weights, KvBytesPerElement = kvBytes, ExpertParallel = ep, Deployment = deployment, Scheduler = scheduler,
        };
        var label = $"{device.DatasheetKey ?? device.Hardware.Name} {(deployment.Disaggregated ? $"{deployment.Prefill!.Gpus}P TP{deployment.Prefill.TensorParallel} + {deployment.Decode.Gpus}D TP{deployment.Decode.TensorParallel}" : $"TP{deployment.Decode.TensorParallel}")}{(ep > 1 ? $" EP{ep}" : "")}{(deployment.Decode.Gpus / deployment.Decode.TensorParallel > 1 && !deployment.Disaggregated ? $" DP{deployment.Decode.Gpus / deployment.Decode.TensorParallel}" : "")} {weights.Quantized}{limits}";
        return new RunDeployment(run.Source, setup, label, parts);
    }

    private static string KvDtypeName(double bytesPerElement) => bytesPerElement switch
    {
        1 => "fp8", 2 => "bf16", 4 => "fp32",
        _ => $"{bytesPerElement.ToString(CultureInfo.InvariantCulture)} bytes/element",
    };

    /// <summary>The scheduler limits a run states (vLLM's engine-arg names), over the command's; the label names the ones from the file.</summary>
    private static (SchedulerConfig Scheduler, string Label) SchedulerOf(BenchmarkPoint run, SchedulerConfig s, List<DeploymentPart> parts)
    {
        var md = run.Metadata;
        if (Int(run, md.MaxNumSeqs, "max_num_seqs", 1 << 20) is { } seqs) s = s with { MaxNumSeqs = seqs };
        if (Int(run, md.MaxNumBatchedTokens, "max_num_batched_tokens", 1 << 24) is { } tokens) s = s with { MaxNumBatchedTokens = tokens };
        if (md.GpuMemoryUtilization is { } u)
        {
            if (!double.TryParse(u, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) || !SchedulerConfig.IsMemoryUtilization(f))
                throw new InputException(run.Source, "gpu_memory_utilization", $"'{Clip(u)}' is not a fraction in (0, 1]");
            s = s with { GpuMemoryUtilization = f };
        }
        DeploymentPart[] limits =
        [
            new("max_num_seqs", Str(s.MaxNumSeqs), md.MaxNumSeqs is null ? "flag" : "file"),
            new("max_num_batched_tokens", Str(s.MaxNumBatchedTokens), md.MaxNumBatchedTokens is null ? "flag" : "file"),
            new("gpu_memory_utilization", s.GpuMemoryUtilization.ToString(CultureInfo.InvariantCulture), md.GpuMemoryUtilization is null ? "flag" : "file"),
        ];
        parts.AddRange(limits);
        return (s, string.Concat(limits.Where(l => l.From == "file").Select(l => $" {l.Key} {l.Value}")));
    }

    /// <summary>The model of a run's deployment under <paramref name="parameters"/> (canonical values, converted for its profile).</summary>
    public ServingModel Model(RunDeployment d, PhysicalParameters parameters)
    {
        var used = ParameterCarry.ForProfile(parameters, d.Setup.Device);
        var m = _models.GetOrAdd(d.Label + "|" + d.Setup.KvBytesPerElement.ToString(CultureInfo.InvariantCulture) + "|" + d.Setup.Device.Hardware.Name, _ =>
        {
            try { return new ServingModel(d.Setup, used); }
            catch (InputException e) when (e.File is "--tp" or "--ep" or "--decode-tp" or "--prefill-tp")
            {
                throw new InputException(d.Source, e.File == "--ep" ? "expert_parallel_size" : "tensor_parallel_size", e.Reason);
            }
        });
        return m.With(used);
    }

    /// <summary>A ceilings.json (as given, or beside the run) or a datasheet entry; cached by the resolved file or datasheet key,
    /// so the same relative name in two runs' folders names two files.</summary>
    private DeviceProfile Profile(string run, string gpu)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(run)) ?? ".";
        var file = new[] { gpu, Path.Combine(dir, gpu) }.FirstOrDefault(c => c.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && File.Exists(c));
        if (file is not null) return _profiles.GetOrAdd("file:" + Path.GetFullPath(file), _ => DeviceProfile.FromCeilings(file));
        var spec = Datasheet.Match(gpu)
                   ?? throw new InputException(run, "gpu", $"'{Clip(gpu)}' is not a ceilings.json file and {Datasheet.NoMatchReason(gpu)}");
        return _profiles.GetOrAdd("datasheet:" + spec.Key, _ => DeviceProfile.FromDatasheet(gpu));
    }

    private static int? Int(BenchmarkPoint run, string? value, string key, int max = 4096)
    {
        if (value is null) return null;
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < 1 || v > max)
            throw new InputException(run.Source, key, $"'{Clip(value)}' is not a whole number from 1 to {Str(max)}");
        return v;
    }

    private static bool? Bool(BenchmarkPoint run, string? value, string key) => value?.ToLowerInvariant() switch
    {
        null => null,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new InputException(run.Source, key, $"'{Clip(value)}' is not true or false"),
    };

    private static string Str(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string Clip(string s) => s.Length > 60 ? s[..60] + "..." : s;
}
