using Micro.Core.Ceilings;
using Micro.Core.Results;
using Micro.Core.Results.Points;
using Micro.Tests.Shared;

namespace Micro.Core.Tests;

/// <summary>
/// The committed H100 attention run (scripts/examples/h100-2026-11-22/attention) was written by the old per-verb
/// writers, whose ceilings.json kept one attention ceiling (DeepSeek MLA on ILGPU, 8.6 GB/s). Derived again from its
/// results.jsonl through the one service, the native Llama decode and the prefill ceilings must be there.
/// </summary>
public class CommittedAttentionProfileTests
{
    private static string Example(string file) => Path.Combine(TestPaths.RepoRoot, "scripts", "examples", "h100-2026-11-22", "attention", file);

    [Fact]
    public void RebuildingTheCommittedAttentionRunKeepsNativeDecodeAndPrefill()
    {
        var dir = Directory.CreateTempSubdirectory("micro-attn-").FullName;
        try
        {
            File.Copy(Example("results.jsonl"), Path.Combine(dir, ResultsWriter.FileName));
            var old = CeilingsFile.Read(Example("ceilings.json"));
            var profile = CeilingsService.Update(dir, old.Context);

            var device = Assert.Single(profile.Devices, d => d.Device.Contains("H100", StringComparison.Ordinal));
            var decode = device.Find(AttentionCeilings.DecodeCeiling);
            Assert.NotNull(decode);
            Assert.Equal("native", decode.Backend);
            Assert.InRange(decode.Value, 2300, 2500);
            var prefill = device.Find(AttentionCeilings.PrefillCeiling);
            Assert.NotNull(prefill);
            Assert.Equal("TFLOP/s", prefill.Unit);
            Assert.True(prefill.Value > 100, $"prefill ceiling {prefill.Value} TFLOP/s");

            var attention = device.Attention ?? [];
            Assert.Contains(attention, p => p.Kind == AttentionKind.Decode && p.Backend == "native" && p.Value > 2300);
            Assert.Contains(attention, p => p.Kind == AttentionKind.Prefill);
            Assert.Contains(attention, p => p.Kind == AttentionKind.Mla);
            // Written and read back: the file holds what the service returned.
            var written = CeilingsFile.Read(Path.Combine(dir, CeilingsProfile.FileName));
            Assert.Equal(decode.Value, written.Devices.Single(d => d.Device == device.Device).Find(AttentionCeilings.DecodeCeiling)!.Value);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
