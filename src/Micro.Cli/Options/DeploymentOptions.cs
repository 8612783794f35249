using System.CommandLine;
using Micro.EndToEnd.Deployment;

namespace Micro.Cli.Options;

/// <summary>
/// The deployment flags `micro analyze` and `micro predict` share, so both spell and check them the same way:
/// one aggregated pool (--gpus, --tp, --decode-replicas) or disaggregated pools (--prefill-gpus, --prefill-tp,
/// --decode-gpus, --decode-tp). Giving flags of both kinds, or only some of the disaggregated ones, is exit 2.
/// </summary>
public sealed class DeploymentOptions
{
    public Option<int?> Gpus { get; } = new("--gpus") { Description = "GPUs billed per deployment (aggregated serving; default 1)" };
    public Option<int?> TensorParallel { get; } = new("--tp") { Description = "Tensor-parallel size of one replica (aggregated serving; default 1)" };
    public Option<int?> DecodeReplicas { get; } = new("--decode-replicas") { Description = "Decode replicas sharing the benchmark's concurrency (aggregated serving; default 1)" };
    public Option<int?> PrefillGpus { get; } = new("--prefill-gpus") { Description = "GPUs of the prefill pool (disaggregated serving, with --decode-gpus, --prefill-tp, --decode-tp)" };
    public Option<int?> DecodeGpus { get; } = new("--decode-gpus") { Description = "GPUs of the decode pool (disaggregated serving)" };
    public Option<int?> PrefillTensorParallel { get; } = new("--prefill-tp") { Description = "Tensor-parallel size of one prefill replica (disaggregated serving)" };
    public Option<int?> DecodeTensorParallel { get; } = new("--decode-tp") { Description = "Tensor-parallel size of one decode replica (disaggregated serving)" };

    public IEnumerable<Option> All => [Gpus, TensorParallel, DecodeReplicas, PrefillGpus, DecodeGpus, PrefillTensorParallel, DecodeTensorParallel];

    /// <summary>The factory: a fresh set of the seven options, added to the verb.</summary>
    public static DeploymentOptions AddTo(Command command)
    {
        var o = new DeploymentOptions();
        foreach (var option in o.All) command.Options.Add(option);
        return o;
    }

    /// <summary>
    /// The deployment the command line describes; bad combinations and values are one-line UsageExceptions. With the
    /// model known, its head rules too (a TP must divide the attention heads: <see cref="CheckModel"/>).
    /// </summary>
    public Deployment Bind(ParseResult pr) => Resolve(
        pr.GetValue(Gpus), pr.GetValue(TensorParallel), pr.GetValue(DecodeReplicas),
        pr.GetValue(PrefillGpus), pr.GetValue(DecodeGpus), pr.GetValue(PrefillTensorParallel), pr.GetValue(DecodeTensorParallel));

    /// <summary>The tensor-parallel rules of the model (LinearLayers.CheckHeads) for every pool of the deployment.</summary>
    public static void CheckModel(Deployment d, Micro.Core.Models.ModelConfig model)
    {
        Micro.Core.Models.LinearLayers.CheckHeads(model, d.Decode.TensorParallel);
        if (d.Prefill is { } p) Micro.Core.Models.LinearLayers.CheckHeads(model, p.TensorParallel);
    }

    public static Deployment Resolve(int? gpus, int? tp, int? replicas, int? prefillGpus, int? decodeGpus, int? prefillTp, int? decodeTp)
    {
        var aggregated = new (string Name, int? Value)[] { ("--gpus", gpus), ("--tp", tp), ("--decode-replicas", replicas) };
        var split = new (string Name, int? Value)[] { ("--prefill-gpus", prefillGpus), ("--decode-gpus", decodeGpus), ("--prefill-tp", prefillTp), ("--decode-tp", decodeTp) };
        foreach (var (name, value) in aggregated.Concat(split))
            if (value is < 1) throw new UsageException($"{name} must be at least 1 (got {value})");
        if (split.Any(s => s.Value is not null))
        {
            if (aggregated.FirstOrDefault(a => a.Value is not null) is { Name: { } both })
                throw new UsageException($"{both} describes an aggregated deployment: give either --gpus/--tp/--decode-replicas or --prefill-gpus/--decode-gpus/--prefill-tp/--decode-tp, not both");
            if (split.FirstOrDefault(s => s.Value is null) is { Name: { } missing })
                throw new UsageException($"{missing} is missing: a disaggregated deployment needs all of --prefill-gpus, --decode-gpus, --prefill-tp and --decode-tp");
            var prefill = Pool(prefillGpus!.Value, prefillTp!.Value, "--prefill-gpus", "--prefill-tp");
            var decode = Pool(decodeGpus!.Value, decodeTp!.Value, "--decode-gpus", "--decode-tp");
            return Deployment.Split(prefill, decode);
        }
        var g = gpus ?? 1;
        var t = tp ?? 1;
        if (t > g) throw new UsageException($"--tp {t} is larger than --gpus {g}: one replica cannot span more GPUs than are billed");
        if (g % t != 0) throw new UsageException($"--gpus {g} is not a multiple of --tp {t}: every replica needs {t} GPUs");
        return Deployment.Aggregated(g, t, replicas ?? 1);
    }

    private static GpuPool Pool(int gpus, int tp, string gpusName, string tpName)
    {
        if (tp > gpus) throw new UsageException($"{tpName} {tp} is larger than {gpusName} {gpus}: one replica cannot span more GPUs than its pool has");
        if (gpus % tp != 0) throw new UsageException($"{gpusName} {gpus} is not a multiple of {tpName} {tp}: every replica needs {tp} GPUs");
        return new GpuPool(gpus, tp);
    }
}
