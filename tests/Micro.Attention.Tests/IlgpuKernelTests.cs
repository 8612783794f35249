using Micro.Suites.Attention;
using Micro.Suites.Attention.Ilgpu;
using Micro.Suites.Running;

namespace Micro.Attention.Tests;

/// <summary>ILGPU kernels on the CPU accelerator (32-wide warps) at tiny shapes, every output element checked.</summary>
public class IlgpuKernelTests
{
    private static Micro.Core.Results.Verification RunOnce(IMeasuredOperation op)
    {
        using (op)
        {
            op.Prepare();
            Assert.True(op.RunTimed() > 0);
            return op.Verify();
        }
    }

    private static IlgpuHost Cpu() => IlgpuHost.Open("cpu", out _)!;

    [Theory]
    [InlineData(KvLayout.Contiguous, 0, KvDType.Fp32, 1)]
    [InlineData(KvLayout.Contiguous, 0, KvDType.Bf16, 1)]
    [InlineData(KvLayout.Paged, 16, KvDType.Fp16, 1)]
    [InlineData(KvLayout.Paged, 32, KvDType.Bf16, 3)]
    [InlineData(KvLayout.Contiguous, 0, KvDType.Fp32, 4)]
    public void DecodeMatchesTheDoubleReference(KvLayout layout, int blockSize, KvDType dtype, int splits)
    {
        using var host = Cpu();
        var shape = new DecodeShape(2, 8, 2, 64, 201, layout, blockSize, dtype, 4);
        var plan = SplitPlan.For(shape.Batch * shape.HeadsKv, shape.Context, 1, splits);
        Assert.Equal(splits, plan.Splits);
        var v = RunOnce(new IlgpuDecodeOperation(host, shape, plan, seed: 11, maxCheckedRows: 1000));
        Assert.True(v.Passed, v.ToString());
        Assert.Equal(2L * 8 * 64, v.Checked);
        Assert.True(v.MaxError < KvDTypes.Tolerance(dtype) / 10, $"max error {v.MaxError}");
    }

    [Fact]
    public void DecodeWithHeadDim128UsesFourDimsPerLane()
    {
        using var host = Cpu();
        var shape = new DecodeShape(1, 4, 1, 128, 70, KvLayout.Paged, 16, KvDType.Bf16, 4);
        var v = RunOnce(new IlgpuDecodeOperation(host, shape, SplitPlan.For(1, 70, 1, 2), seed: 5, maxCheckedRows: 1000));
        Assert.True(v.Passed, v.ToString());
    }

    [Theory]
    [InlineData(KvLayout.Contiguous, KvDType.Fp32, 1)]
    [InlineData(KvLayout.Paged, KvDType.Bf16, 3)]
    public void MlaDecodeMatchesTheDoubleReference(KvLayout layout, KvDType dtype, int splits)
    {
        using var host = Cpu();
        var shape = new MlaDecodeShape(2, 8, 128, 32, 150, layout, layout == KvLayout.Paged ? 32 : 0, dtype, 4, 1 / Math.Sqrt(96));
        var v = RunOnce(new IlgpuMlaOperation(host, shape, SplitPlan.For(2, 150, 1, splits), seed: 7, maxCheckedRows: 1000));
        Assert.True(v.Passed, v.ToString());
        Assert.Equal(2L * 8 * 128, v.Checked);
    }

    [Theory]
    [InlineData(true, KvDType.Fp32)]
    [InlineData(false, KvDType.Fp32)]
    [InlineData(true, KvDType.Bf16)]
    [InlineData(false, KvDType.Fp16)]
    public void PrefillMatchesTheDoubleReference(bool causal, KvDType dtype)
    {
        using var host = Cpu();
        var shape = new PrefillShape(2, 8, 2, 64, 45, causal, dtype, 4);
        var v = RunOnce(new IlgpuPrefillOperation(host, shape, seed: 3, maxCheckedRows: 100_000));
        Assert.True(v.Passed, v.ToString());
        Assert.Equal(2L * 45 * 8 * 64, v.Checked);
    }

    [Fact]
    public void AWrongReferenceIsCaught()
    {
        // The check must be able to fail: compare a correct decode output against the reference of other inputs.
        using var host = Cpu();
        var shape = new DecodeShape(1, 4, 1, 64, 40, KvLayout.Contiguous, 0, KvDType.Fp32, 4);
        using var op = new IlgpuDecodeOperation(host, shape, SplitPlan.For(1, 40, 1, 1), seed: 1, maxCheckedRows: 100);
        op.Prepare();
        op.RunTimed();
        var q = HostTensor.Random(KvDType.Fp32, 4 * 64, 99);
        var k = HostTensor.Random(KvDType.Fp32, 40 * 64, 98);
        var vv = HostTensor.Random(KvDType.Fp32, 40 * 64, 97);
        var table = BlockTables.Build(1, 1, KvLayout.Contiguous, 0);
        var bad = Micro.Suites.Attention.OutputCheck.Run(_ => 0.5, 4, 64, 1e-4,
            row => AttentionReference.DecodeRow(shape, q, k, vv, table, 0, (int)row), 100, 1, "decode");
        Assert.False(bad.Passed);
        var poisoned = Micro.Suites.Attention.OutputCheck.Run(i => i == 7 ? double.NaN : 0.5, 4, 64, 10, _ => new double[64], 100, 1, "decode");
        Assert.False(poisoned.Passed);
        Assert.True(poisoned.Wrong >= 1);
    }
}
