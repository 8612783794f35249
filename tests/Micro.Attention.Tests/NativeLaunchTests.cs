using System.Text.RegularExpressions;
using Micro.Suites.Attention;
using Micro.Suites.Attention.Native;
using Micro.Tests.Shared;

namespace Micro.Attention.Tests;

/// <summary>The host's launch geometry for the native prefill kernel must match the tile constants in prefill.cu.</summary>
public class NativeLaunchTests
{
    private static PrefillShape Shape(int batch, int len) => new(batch, 32, 8, 128, len, true, KvDType.Bf16, 2);

    [Fact]
    public void PrefillLaunchMatchesTheKernelTileConstants()
    {
        var src = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "kernels", "attention", "prefill.cu"));
        int warps = int.Parse(Regex.Match(src, @"#define PF_WARPS (\d+)").Groups[1].Value);
        Assert.Matches(@"#define PF_BQ \(PF_WARPS \* 16\)", src);
        Assert.Matches(@"#define PF_THREADS \(PF_WARPS \* 32\)", src);
        Assert.Equal(NativePrefillOperation.QueryRowsPerBlock, warps * 16);
        Assert.Equal(NativePrefillOperation.ThreadsPerBlock, warps * 32);
    }

    [Theory]
    [InlineData(16, 1024, 16 * 32 * 16)]  // Llama-8B heads: 32 query heads x 16 row blocks of 64 per sequence
    [InlineData(2, 8192, 2 * 32 * 128)]
    [InlineData(1, 128, 64)]
    public void PrefillGridHasOneBlockPer64QueryRowsPerHead(int batch, int len, long blocks) =>
        Assert.Equal(blocks, NativePrefillOperation.GridBlocks(Shape(batch, len)));

    [Fact]
    public void PrefillRejectsLengthsThatAreNotWholeRowBlocks()
    {
        Assert.Null(NativePrefillOperation.Unsupported(Shape(1, 512)));
        Assert.Contains("multiple of 64", NativePrefillOperation.Unsupported(Shape(1, 96)));
    }
}
