using Micro.Core.Ceilings;
using Micro.Core.Results;
using Micro.Core.Statistics;
using Micro.Suites.Attention;
using Micro.Core.Models;
using Micro.Suites.Attention.Ilgpu;
using Micro.Suites.Running;

namespace Micro.Attention.Tests;

public class CaseTableTests
{
    [Fact]
    public void AutoBatchReadsAtLeastFourTimesTheL2()
    {
        // Llama-3.1-8B at 4k, bf16: K+V per sequence = 2*4096*8*128*2 = 16,777,216 bytes; 4 x 50 MiB needs 13 -> 16.
        var m = AttentionModel.From(ModelPresets.Resolve("llama-3.1-8b"));
        var cases = AttentionCases.Build(m, new AttentionOptions { Kinds = ["decode"], Contexts = [4096] }, 50L << 20, _ => { });
        var d = Assert.Single(cases).Decode!;
        Assert.Equal(16, d.Batch);
        Assert.True(2L * d.Batch * d.Context * d.HeadsKv * d.HeadDim * 2 >= 4 * (50L << 20));
    }

    [Fact]
    public void MlaCasesOnlyForMlaModelsAndPrefillNotForMla()
    {
        var skips = new List<string>();
        var llama = AttentionModel.From(ModelPresets.Resolve("llama-3.1-8b"));
        Assert.Empty(AttentionCases.Build(llama, new AttentionOptions { Kinds = ["mla"] }, null, skips.Add));
        var ds = AttentionModel.From(ModelPresets.Resolve("deepseek-v3"));
        var cases = AttentionCases.Build(ds, new AttentionOptions { Kinds = ["mla", "prefill"], Contexts = [1024] }, null, skips.Add);
        Assert.Equal(AttentionKernel.Mla, Assert.Single(cases).Kind);
        Assert.Equal(2, skips.Count);
    }

    [Fact]
    public void UnknownKindIsRejected() =>
        Assert.Throws<ArgumentException>(() => AttentionCases.Build(AttentionModel.From(ModelPresets.Resolve("qwen3-8b")), new AttentionOptions { Kinds = ["bogus"] }, null, _ => { }));

    [Fact]
    public void OptionsParseKSuffixesAndRejectGarbage()
    {
        Assert.Equal([4096, 131072], AttentionOptions.ParseLengths("4k,128k", "--contexts"));
        var e = Assert.Throws<ArgumentException>(() => AttentionOptions.ParseLengths("-1", "--contexts"));
        Assert.Contains("--contexts '-1'", e.Message);
        Assert.Throws<ArgumentException>(() => AttentionOptions.ParseLengths("2048k", "--lengths"));
    }

    [Fact]
    public void CeilingsSectionKeepsTheBestVerifiedPointPerContextWithFractionOfCopy()
    {
        MeasurementRecord Rec(string backend, double gbps, bool ok, string ctx = "4096") => new()
        {
            Suite = "attention", Case = "decode", Backend = backend, Device = "H100", DType = "bf16",
            Attention = new Micro.Core.Results.Points.AttentionParameters
            {
                Kind = Micro.Core.Results.Points.AttentionKind.Decode, Model = "llama-3.1-8b", Batch = 16, Context = int.Parse(ctx), HeadsQ = 32, QoBytes = 2,
            },
            Time = Stats.Summarize([1.0, 1.0]), Bandwidth = new Throughput("GB/s", gbps, gbps, gbps),
            Verification = ok ? Verification.Ok(1, 0, "t") : Verification.Failed(1, 1, 1, "t"),
        };
        Ceiling copy = new() { Name = CeilingNames.D2D, Value = 3000, Unit = "GB/s", Suite = "link", Case = "d2d", Backend = "native" };
        var points = AttentionCeilings.Build([Rec("native", 2700, true), Rec("native", 2900, false), Rec("native", 2500, true), Rec("native", 2000, true, "16384")], [copy])!;
        Assert.Equal(2, points.Count);
        Assert.Equal(2700, points[0].Value);
        Assert.Equal(0.9, points[0].FractionOfCeiling!.Value, 6);
        Assert.Equal(16384, points[1].Tokens);
        Assert.Null(AttentionCeilings.Build([], [copy]));
    }

    [Fact]
    public void IlgpuPtxShowsWideLoadsNoSpillsInDecodeAndLocalArraysOnlyInMla()
    {
        var ptx = IlgpuPtx.Compile();
        var decode = IlgpuPtx.Census(ptx["ilgpu_decode"]);
        Assert.True(decode["ld.global.b64"] > 0, "decode should read 16-bit K/V 8 bytes per load");
        Assert.Equal(0, decode["ld.local"]);
        Assert.Equal(0, decode["shfl.sync"]);
        Assert.True(decode["bar.sync"] >= 2);
        Assert.Equal(0, IlgpuPtx.Census(ptx["ilgpu_prefill"])["ld.local"]);
        Assert.True(IlgpuPtx.Census(ptx["ilgpu_mla_decode"])["ld.local"] > 0);
    }
}
