using Micro.Suites.Attention;

namespace Micro.Attention.Tests;

public class FormulaTests
{
    [Fact]
    public void Llama8bDecodeBytesCountQkvoOnce()
    {
        // B=1, ctx=4096, Hq=32, Hkv=8, D=128, bf16 everywhere:
        // Q = O = 32*128*2 = 8,192; K = V = 4096*8*128*2 = 8,388,608; total 16,793,600.
        var s = new DecodeShape(1, 32, 8, 128, 4096, KvLayout.Contiguous, 0, KvDType.Bf16, 2);
        Assert.Equal(16_793_600L, AttentionFormulas.DecodeBytes(s));
        // Paged, block 16: 256 blocks x 4-byte entries = 1,024 more bytes.
        Assert.Equal(16_794_624L, AttentionFormulas.DecodeBytes(s with { Layout = KvLayout.Paged, BlockSize = 16 }));
        // FLOPs: 2 * 1 * 32 * 1 * 4096 * (128 + 128) = 67,108,864.
        Assert.Equal(67_108_864d, AttentionFormulas.DecodeFlops(s));
    }

    [Fact]
    public void PagedTableRoundsPartialBlocksUp()
    {
        var s = new DecodeShape(2, 8, 2, 64, 100, KvLayout.Paged, 32, KvDType.Fp16, 2);
        Assert.Equal(4, s.BlocksPerSequence);
        // Q=O=2*8*64*2=2,048; K=V=2*100*2*64*2=51,200; table 2*4*4=32.
        Assert.Equal(2_048L * 2 + 51_200L * 2 + 32, AttentionFormulas.DecodeBytes(s));
    }

    [Fact]
    public void PrefillFlopsCausalIsHalfOfNonCausal()
    {
        // B=1, Hq=32, L=1024, D=128: non-causal 2*32*1024*1024*256 = 17,179,869,184; causal half.
        var s = new PrefillShape(1, 32, 8, 128, 1024, false, KvDType.Bf16, 2);
        Assert.Equal(17_179_869_184d, AttentionFormulas.PrefillFlops(s));
        Assert.Equal(8_589_934_592d, AttentionFormulas.PrefillFlops(s with { Causal = true }));
    }

    [Fact]
    public void CausalFormulaWithShorterQueryUsesFlashInferForm()
    {
        // b=1, Hq=1, Lq=2, Lk=4, d=1+1: causal = 1*1*2*(8-2)*2 = 24 (row 0 sees 3 keys, row 1 sees 4: (3+4)*2*2 = 28
        // with the diagonal included; FlashInfer's form counts Lq*(2Lk-Lq)/2 = 6 key visits x 2 flops x d) -> 24.
        Assert.Equal(24d, AttentionFormulas.AttentionFlops(1, 1, 2, 4, 1, 1, causal: true));
        Assert.Equal(32d, AttentionFormulas.AttentionFlops(1, 1, 2, 4, 1, 1, causal: false));
    }

    [Fact]
    public void MlaCountsTheLatentCacheOnce()
    {
        // DeepSeek-V3: B=1, H=128, R=512, r=64, ctx=1024, bf16.
        // Q = 128*576*2 = 147,456; cache = 1024*576*2 = 1,179,648; O = 128*512*2 = 131,072.
        var s = new MlaDecodeShape(1, 128, 512, 64, 1024, KvLayout.Contiguous, 0, KvDType.Bf16, 2, 1 / Math.Sqrt(192));
        Assert.Equal(147_456L + 1_179_648L + 131_072L, AttentionFormulas.MlaBytes(s));
        // FLOPs: 2*128*1024*(576+512) = 285,212,672.
        Assert.Equal(285_212_672d, AttentionFormulas.MlaFlops(s));
    }

    [Theory]
    [InlineData(1, 8, 4096, 132, 0, 16, 256)]    // 8 groups want ceil(8*132/8)=132 splits, capped at ctx/256 = 16
    [InlineData(16, 8, 4096, 132, 0, 9, 456)]    // Llama-8B 4k x 16: 128 groups want ceil(1056/128)=9 splits -> 1152 blocks
    [InlineData(4, 8, 16384, 132, 0, 33, 497)]   // Llama-8B 16k x 4: 32 groups want 33 splits -> 1056 blocks
    [InlineData(256, 8, 4096, 132, 0, 1, 4096)]  // 2048 groups already fill 8 blocks per SM: no split
    [InlineData(1, 8, 512, 132, 0, 2, 256)]      // short context: at most ctx/256 splits
    [InlineData(1, 8, 1000, 132, 3, 3, 334)]     // explicit
    public void SplitPlanCoversTheContextWithNoEmptySplit(int batch, int kvHeads, int ctx, int sms, int requested, int splits, int len)
    {
        var p = SplitPlan.For(batch * kvHeads, ctx, sms, requested);
        Assert.Equal(splits, p.Splits);
        Assert.Equal(len, p.SplitLen);
        Assert.True((p.Splits - 1) * p.SplitLen < ctx && p.Splits * p.SplitLen >= ctx);
    }
}
