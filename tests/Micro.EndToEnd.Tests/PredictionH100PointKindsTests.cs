using Micro.Core.Models;
using Micro.Core.Results;
using Micro.Core.Results.Points;
using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.SpeedOfLight;
using Micro.Tests.Shared;

namespace Micro.EndToEnd.Tests;

/// <summary>
/// The committed H100 results (scripts/examples/h100-2026-11-22: gpu/ and attention/, written as micro.result/1 and
/// read typed) reach the step model: every point kind the files hold is used, and the step model says "measured" for it.
/// </summary>
public class PredictionH100PointKindsTests
{
    private static string Example(string relative) => Path.Combine(TestPaths.RepoRoot, "scripts", "examples", "h100-2026-11-22", relative);

    /// <summary>The gpu/ profile with the attention points measured on the same GPU the same evening.</summary>
    private static (DeviceProfile Device, IReadOnlyList<MeasurementRecord> Records) H100()
    {
        var device = DeviceProfile.FromCeilings(Example("gpu/ceilings.json"));
        var records = ResultsReader.Read(Example("gpu/results.jsonl")).Concat(ResultsReader.Read(Example("attention/results.jsonl"))).ToList();
        return (device.WithPoints(records, Example("attention/results.jsonl"), device.Hardware.Name), records);
    }

    [Fact]
    public void EveryPointKindOfTheCommittedH100ResultsReachesTheProfile()
    {
        var (device, records) = H100();
        var verified = records.Where(r => r.Verification.Passed && r.Device == device.Hardware.Name).ToList();

        // What the files hold, read from the typed points.
        var kinds = verified.Where(r => r.Attention is not null).Select(r => r.Attention!.Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<AttentionKind>().ToHashSet(), kinds);
        Assert.Contains(verified, r => r.Gemm is not null);
        Assert.Contains(verified, r => r.Launch is { Kind: LaunchKind.GraphReplay });

        Assert.Contains(device.DecodeAttention, p => p.Kind == AttentionKind.Decode);
        Assert.Contains(device.DecodeAttention, p => p.Kind == AttentionKind.DecodePaged);
        Assert.All(device.DecodeAttention, p => Assert.Contains("(native,", p.Case));
        // MLA decode has only an ILGPU kernel: its points are used (they were dropped before /3).
        Assert.NotEmpty(device.MlaDecodeAttention);
        Assert.All(device.MlaDecodeAttention, p => Assert.Equal(AttentionKind.Mla, p.Kind));
        // Causal prefill, the kind vLLM runs (the attention suite writes `prefill`; /1 wrote `prefill-causal`: dropped before).
        Assert.Equal(verified.Count(r => r.Attention?.Kind == AttentionKind.Prefill && r.Backend == "native"), device.PrefillAttention.Count);
        Assert.All(device.PrefillAttention, p => Assert.Equal(AttentionKind.Prefill, p.Kind));
        // Every verified GEMM shape, with its precision.
        foreach (var g in verified.Where(r => r.Gemm is not null).Select(r => r.Gemm!))
            Assert.Contains(device.Gemm, p => (p.M, p.N, p.K, p.Dtype) == (g.M, g.N, g.K, g.Dtype));
        Assert.StartsWith("measured: launch/empty_graph_replay", device.KernelLaunch!.Source);
        // This folder measured no collectives (collectives/ holds only the log); none are invented.
        Assert.Equal(verified.Count(r => r.Collective is not null), device.Collectives.Count);
    }

    [Fact]
    public void TheStepModelSaysMeasuredForEveryKindTheProfileHolds()
    {
        var (device, _) = H100();
        var llama = PredictionFixtures.Llama8B();
        var prior = PhysicalParameters.Prior(measuredProfile: true);
        var step = new StepTimeModel(llama, WeightFormat.For(llama, null), device, 1, 1, 2, ParameterCarry.ForProfile(prior, device));

        Assert.StartsWith("measured decode attention", step.DecodeAttentionSource);
        Assert.Contains("attention/decode ", step.DecodeAttentionSource);
        Assert.Contains("attention/decode-paged ", step.DecodeAttentionSource);
        Assert.DoesNotContain("attention/mla", step.DecodeAttentionSource);
        Assert.StartsWith("measured causal prefill", step.PrefillAttentionSource);
        // At a measured length the step model takes the measured rate, not the GEMM rate.
        var at4096 = device.PrefillAttention.Single(p => p.Length == 4096);
        Assert.Equal(at4096.Rate, step.PrefillAttentionTflops(4096));
        Assert.True(at4096.Rate < device.Hardware.GemmTflops);
        // Llama-3-8B's own GEMM shapes were measured (gpu/: llama3-8b.qkv, o_proj, gate_up, down).
        Assert.All(step.LinearSources(4096).Where(l => l.Layer != "lm_head"), l => Assert.StartsWith("measured", l.Source));
        var launch = ParameterCarry.Describe(prior, device)[PhysicalParameters.KernelLaunch];
        Assert.Contains("measured: launch/empty_graph_replay", launch.How);
        Assert.Equal(device.KernelLaunch!.Value, step.Parameters.KernelLaunchSeconds * 1e6, 9);

        // An MLA model reads the MLA points.
        var deepseek = ModelPresets.Resolve("deepseek-v3");
        var mla = new StepTimeModel(deepseek, WeightFormat.For(deepseek, null), device, 1, 1, 1, ParameterCarry.ForProfile(prior, device));
        Assert.StartsWith("measured decode attention", mla.DecodeAttentionSource);
        Assert.Contains("attention/mla ", mla.DecodeAttentionSource);
        Assert.Equal(device.MlaDecodeAttention.Single(p => p.Length == 4096).Rate, mla.DecodeAttentionGBps(4096));
    }
}
