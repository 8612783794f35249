using System.Globalization;
using Micro.Core.Models;
using Micro.Core.Results;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.EndToEnd.Prediction;

/// <summary>Memory of one GPU of a replica: weights, the reserve, and what is left for the KV cache (in blocks of BlockSize tokens).</summary>
public sealed record MemoryPlan(double MemoryGB, double Utilization, double WeightGB, double ReserveGB, double KvCacheGB, long KvBlocks, int BlockSize)
{
    /// <summary>Activations, sampler and CUDA-graph pool per GPU: vLLM profiles them; Micro assumes this much.</summary>
    public const double AssumedReserveGB = 1.0;

    public static MemoryPlan For(StepTimeModel step, double memoryGB, SchedulerConfig s, string pool)
    {
        var weights = step.WeightBytesPerGpu / 1e9;
        var kv = s.GpuMemoryUtilization * memoryGB - weights - AssumedReserveGB;
        if (kv <= 0)
            throw new InputException(pool == "decode" ? "--tp" : $"--{pool}-tp", step.TensorParallel.ToString(CultureInfo.InvariantCulture),
                $"{step.Model.Name} does not fit: {weights:0.#} GB of weights per GPU + {AssumedReserveGB} GB reserve exceed {s.GpuMemoryUtilization} x {memoryGB:0.#} GB (--gpu-memory-utilization); raise the TP");
        var blocks = (long)(kv * 1e9 / (step.Kv.BytesPerToken * s.BlockSize));
        return new MemoryPlan(memoryGB, s.GpuMemoryUtilization, weights, AssumedReserveGB, kv, blocks, s.BlockSize);
    }
}

/// <summary>Everything fixed about a deployment that the physical parameters do not change.</summary>
public sealed record ServingSetup
{
    public required ModelConfig Model { get; init; }
    public required WeightFormat Weights { get; init; }
    public required double KvBytesPerElement { get; init; }
    public required DeviceProfile Device { get; init; }
    public required Deployment.Deployment Deployment { get; init; }
    public int ExpertParallel { get; init; } = 1;
    public required SchedulerConfig Scheduler { get; init; }
}

/// <summary>A deployment's pools built from the setup and one set of physical parameters; simulates load on them.</summary>
public sealed class ServingModel
{
    public ServingModel(ServingSetup setup, PhysicalParameters parameters)
    {
        Setup = setup;
        Parameters = parameters;
        setup.Scheduler.Validate();
        var d = setup.Deployment;
        if (d.Decode.Gpus % d.Decode.TensorParallel != 0)
            throw new InputException(d.Disaggregated ? "--decode-tp" : "--tp", d.Decode.TensorParallel.ToString(CultureInfo.InvariantCulture), $"does not divide the {d.Decode.Gpus} GPUs");
        DecodeStep = new StepTimeModel(setup.Model, setup.Weights, setup.Device, d.Decode.TensorParallel, setup.ExpertParallel, setup.KvBytesPerElement, parameters);
        CheckReach(DecodeStep, d.Disaggregated ? "--decode-tp" : "--tp");
        DecodeMemory = MemoryPlan.For(DecodeStep, setup.Device.MemoryGB.Value, setup.Scheduler, "decode");
        var replicas = d.Disaggregated ? d.Decode.Replicas : Math.Max(1, d.Decode.Gpus / d.Decode.TensorParallel);
        Decode = new PoolSpec(DecodeStep, replicas, DecodeMemory.KvCacheGB * 1e9, setup.Scheduler);
        if (d.Prefill is { } p)
        {
            if (p.Gpus % p.TensorParallel != 0)
                throw new InputException("--prefill-tp", p.TensorParallel.ToString(CultureInfo.InvariantCulture), $"does not divide the {p.Gpus} prefill GPUs");
            PrefillStep = new StepTimeModel(setup.Model, setup.Weights, setup.Device, p.TensorParallel, setup.ExpertParallel, setup.KvBytesPerElement, parameters);
            CheckReach(PrefillStep, "--prefill-tp");
            PrefillMemory = MemoryPlan.For(PrefillStep, setup.Device.MemoryGB.Value, setup.Scheduler, "prefill");
            Prefill = new PoolSpec(PrefillStep, p.Replicas, PrefillMemory.KvCacheGB * 1e9, setup.Scheduler);
            KvTransfer = KvTransferLink.For(setup.Device, d.BilledGpus);
        }
    }

    /// <summary>A pool whose collectives span servers without measured points is refused (one line naming its flag).</summary>
    private static void CheckReach(StepTimeModel step, string tpFlag)
    {
        if (step.CollectiveUnreachable is not { } u) return;
        throw new InputException(u.Flag == "--tp" ? tpFlag : u.Flag, u.Ranks.ToString(CultureInfo.InvariantCulture), u.Reason);
    }

    public ServingSetup Setup { get; }
    public PhysicalParameters Parameters { get; }
    public StepTimeModel DecodeStep { get; }
    public StepTimeModel? PrefillStep { get; }
    public MemoryPlan DecodeMemory { get; }
    public MemoryPlan? PrefillMemory { get; }
    public PoolSpec Decode { get; }
    public PoolSpec? Prefill { get; }
    /// <summary>The link the KV cache crosses between the pools; null when aggregated.</summary>
    public KvTransferLink? KvTransfer { get; }

    /// <summary>The same deployment under other physical parameters (calibration calls this for every evaluation): the pools,
    /// memory plans and step-model caches do not depend on them and are reused.</summary>
    public ServingModel With(PhysicalParameters p) => new(this, p);

    private ServingModel(ServingModel o, PhysicalParameters parameters)
    {
        Setup = o.Setup;
        Parameters = parameters;
        DecodeStep = o.DecodeStep.With(parameters);
        DecodeMemory = o.DecodeMemory;
        Decode = o.Decode with { Model = DecodeStep };
        PrefillStep = o.PrefillStep?.With(parameters);
        PrefillMemory = o.PrefillMemory;
        Prefill = o.Prefill is { } pool ? pool with { Model = PrefillStep! } : null;
        KvTransfer = o.KvTransfer;
    }

    /// <param name="itlPercentiles">False where nobody reads inter-token percentiles (calibration): the samples are not kept.</param>
    public SimulationResult Simulate(LoadShape load, LengthSampler lengths, bool itlPercentiles = true) =>
        new ServingSimulator(Decode, Prefill, KvTransfer) { KeepItlSamples = itlPercentiles }.Run(load, lengths);

    /// <summary>Speed of light of the decode pool (the analyze model, decode-reads) at batch B and a context.</summary>
    public SolModel SpeedOfLight => new(Setup.Model, Setup.Weights, Setup.Device.Hardware, DecodeStep.TensorParallel, Setup.KvBytesPerElement, ParameterCountMode.DecodeReads);
}
