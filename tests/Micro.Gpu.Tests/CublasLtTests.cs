using System.Runtime.InteropServices;
using Micro.Devices.Cublas;
using Micro.Devices.Native;
using Micro.Suites.Gemm;

namespace Micro.Gpu.Tests;

/// <summary>The cuBLASLt binding and GEMM-suite logic that needs no GPU: shapes, layouts, attributes, errors, tuning, fp8.</summary>
public class CublasLtTests
{
    [Theory]
    [InlineData(4096, 4096, 100, "k=100 is not a multiple of 16")]
    [InlineData(4096, 4104, 4096, "n=4104 is not a multiple of 16")]
    [InlineData(4096, 4096, 8, "k=8 must be at least 16")]
    [InlineData(0, 4096, 4096, "m=0 must be at least 1")]
    public void Bad_shapes_are_rejected_before_any_library_call(int m, int n, int k, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => LtGemmProblem.Create(m, n, k, CudaDataType.R8FE4M3, CudaDataType.R16BF));
        Assert.Equal("cuBLASLt GEMM: " + reason, e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(100)]
    public void Any_positive_m_is_a_shape_decode_steps_run(int m)
    {
        var p = LtGemmProblem.Create(m, 6144, 4096, CudaDataType.R8FE4M3, CudaDataType.R16BF);
        Assert.Equal(m, p.LtN);
        Assert.Equal((long)m * 4096, p.BytesA);
    }

    [Fact]
    public void Unmeasured_type_pairs_and_misplaced_options_are_rejected()
    {
        Assert.Contains("not a measured pair", Assert.Throws<ArgumentException>(() =>
            LtGemmProblem.Create(64, 64, 64, CudaDataType.R8FE4M3, CudaDataType.R8FE4M3)).Message);
        Assert.Contains("fp8 inputs only", Assert.Throws<ArgumentException>(() =>
            LtGemmProblem.Create(64, 64, 64, CudaDataType.R16BF, CudaDataType.R16BF, fastAccumulation: true)).Message);
        var fp8 = LtGemmProblem.Create(64, 64, 64, CudaDataType.R8FE4M3, CudaDataType.R16BF);
        Assert.Contains("scale pointers", Assert.Throws<ArgumentException>(() => fp8.DescriptorAttributes()).Message);
    }

    [Fact]
    public void Row_major_linear_layer_maps_to_cublaslt_TN_column_major()
    {
        var p = LtGemmProblem.Create(4096, 28672, 4096, CudaDataType.R8FE4M3, CudaDataType.R16BF);
        Assert.Equal((28672, 4096, 4096), (p.LtM, p.LtN, p.LtK));
        Assert.Equal((CublasConst.OpT, CublasConst.OpN), (p.TransA, p.TransB));
        Assert.Equal((CudaDataType.R8FE4M3, 4096UL, 28672UL, 4096L), p.LayoutA); // W[N,K] row-major = K x N column-major
        Assert.Equal((CudaDataType.R8FE4M3, 4096UL, 4096UL, 4096L), p.LayoutB);  // A[M,K] row-major = K x M column-major
        Assert.Equal((CudaDataType.R16BF, 28672UL, 4096UL, 28672L), p.LayoutD);
        Assert.Equal(4096L * 4096, p.BytesA);
        Assert.Equal(28672L * 4096, p.BytesW);
        Assert.Equal(4096L * 28672 * 2, p.BytesD);
    }

    [Fact]
    public void Descriptor_attributes_have_the_sizes_cublaslt_expects()
    {
        var bf16 = LtGemmProblem.Create(64, 128, 256, CudaDataType.R16BF, CudaDataType.R16BF).DescriptorAttributes();
        Assert.Equal([LtConst.DescTransA, LtConst.DescTransB], bf16.Select(a => a.Attribute));
        Assert.Equal(1, BitConverter.ToInt32(bf16[0].Value)); // CUBLAS_OP_T as a 4-byte cublasOperation_t
        Assert.Equal(0, BitConverter.ToInt32(bf16[1].Value));
        Assert.All(bf16, a => Assert.Equal(4, a.Value.Length));

        var fp8 = LtGemmProblem.Create(64, 128, 256, CudaDataType.R8FE4M3, CudaDataType.R16BF).DescriptorAttributes(0x7000_0000_1000, 0x7000_0000_1004);
        Assert.Equal([LtConst.DescTransA, LtConst.DescTransB, LtConst.DescAScalePointer, LtConst.DescBScalePointer, LtConst.DescFastAccum],
            fp8.Select(a => a.Attribute));
        Assert.Equal(0x7000_0000_1004UL, BitConverter.ToUInt64(fp8[3].Value));
        Assert.Equal([(byte)0], fp8[4].Value); // FAST_ACCUM is an int8_t, off
        Assert.Equal([(byte)1], LtGemmProblem.Create(64, 128, 256, CudaDataType.R8FE4M3, CudaDataType.R16BF, true).DescriptorAttributes(1, 2)[4].Value);
    }

    [Fact]
    public void Native_structs_match_cublasLt_h()
    {
        Assert.Equal(64, Marshal.SizeOf<LtMatmulAlgo>());
        Assert.Equal(96, Marshal.SizeOf<LtHeuristicResult>());
        Assert.Equal(64, (int)Marshal.OffsetOf<LtHeuristicResult>(nameof(LtHeuristicResult.WorkspaceSize)));
        Assert.Equal(72, (int)Marshal.OffsetOf<LtHeuristicResult>(nameof(LtHeuristicResult.State)));
        Assert.Equal(76, (int)Marshal.OffsetOf<LtHeuristicResult>(nameof(LtHeuristicResult.WavesCount)));
    }

    [Fact]
    public void Missing_library_is_one_clear_line_and_statuses_have_names()
    {
        if (NativeLibraries.TryLoad(NativeLibraries.CublasLt, out var why)) Assert.Skip("libcublasLt is present on this machine");
        Assert.StartsWith("no cuBLASLt: not found", why);
        Assert.Contains("MICRO_CUBLASLT_PATH", why);
        Assert.DoesNotContain('\n', why);
        Assert.False(CublasLtHandle.TryLoad(out var again));
        Assert.Equal(why, again);
        Assert.Equal("CUBLAS_STATUS_NOT_SUPPORTED", CublasLtHandle.Describe(15));
        Assert.Equal("CUBLAS_STATUS_INVALID_VALUE", CublasLtHandle.Describe(7));
        Assert.Equal("cublasStatus 99", CublasLtHandle.Describe(99));
        Assert.Equal("13.1.0", CublasLtHandle.FormatVersion(130100));
    }

    [Fact]
    public void Fastest_candidate_by_median_wins_and_failures_are_skipped_with_their_reason()
    {
        // "a" has the single fastest trial but "b" the faster median: the median decides.
        var times = new Dictionary<string, Queue<double>> { ["a"] = new([3e-3, 1e-3, 2e-3]), ["b"] = new([1.5e-3, 1.4e-3, 9e-3]) };
        var timing = new LtCandidateTiming<string>(["a", "b", "c"], s => s);
        var chosen = timing.Choose(
            warm: s => { if (s == "c") throw new CublasException("cublasLtMatmul", 15, "CUBLAS_STATUS_NOT_SUPPORTED"); },
            timeOnce: s => times[s].Dequeue(),
            isRunFailure: e => e is CublasException);
        Assert.Equal("b", chosen.Candidate);
        Assert.Equal(1, chosen.Index);
        Assert.Equal(1.5e-3, chosen.MedianSeconds);
        Assert.Contains("NOT_SUPPORTED", timing.Results[2].Failure);
        Assert.Equal("2000,1500,fail", timing.Summary());

        var none = new LtCandidateTiming<string>(["x"], s => s);
        var e = Assert.Throws<InvalidOperationException>(() => none.Choose(_ => throw new CublasException("cublasLtMatmul", 15, "nope"), _ => 1, _ => true));
        Assert.Contains("no cuBLASLt candidate ran: x:", e.Message);
    }

    [Fact]
    public void Fp8_e4m3_codes_round_trip_and_encoding_rounds_to_nearest_even_and_saturates()
    {
        for (var code = 0; code < 256; code++)
        {
            var v = Fp8E4M3.ToFloat((byte)code);
            if ((code & 0x7F) == 0x7F) { Assert.True(float.IsNaN(v)); continue; }
            if (code == 0x80) continue; // -0 encodes back to 0x80 as well, but compare bits below
            Assert.Equal((byte)code, Fp8E4M3.FromFloat(v));
        }
        Assert.Equal(448f, Fp8E4M3.ToFloat(0x7E));
        Assert.Equal(0x7E, Fp8E4M3.FromFloat(1e6f));
        Assert.Equal(0xFE, Fp8E4M3.FromFloat(-500f));
        Assert.Equal(1f, Fp8E4M3.ToFloat(0x38));
        // 1 + 1/16 lies halfway between 1 (mantissa 0, even) and 1.125 (mantissa 1): ties go to even.
        Assert.Equal(0x38, Fp8E4M3.FromFloat(1.0625f));
        Assert.Equal(0x3A, Fp8E4M3.FromFloat(1.1875f)); // halfway between 1.125 (odd) and 1.25 (even) -> 1.25
        Assert.Equal(MathF.Pow(2, -9), Fp8E4M3.ToFloat(0x01)); // smallest subnormal
    }

    [Fact]
    public void Fp8_tolerance_accepts_bf16_output_rounding_and_rejects_a_lost_term_or_scale()
    {
        var a = new GemmInputs(1, GemmDType.Fp8);
        var b = new GemmInputs(2, GemmDType.Fp8);
        var (r, abs) = GemmReference.Element(a, b, 4096, 4096, 3, 9, bIsNByK: true);
        var scale = (double)GemmOperation.Fp8ScaleA * GemmOperation.Fp8ScaleB;
        var got = BFloat16.ToFloat(BFloat16.FromFloat((float)(r * scale)));
        Assert.True(GemmReference.WithinTolerance(GemmDType.Fp8, got, r * scale, abs * scale));
        // Scales ignored, or applied twice: caught on (nearly) every sampled output.
        var samples = GemmReference.Samples(4096, 4096, 60, 7);
        var refs = samples.Select(p => GemmReference.Element(a, b, 4096, 4096, p.Row, p.Col, bIsNByK: true)).ToList();
        Assert.True(refs.Count(x => !GemmReference.WithinTolerance(GemmDType.Fp8, x.Ref, x.Ref * scale, x.AbsSum * scale)) >= 0.8 * refs.Count);
        Assert.True(refs.Count(x => !GemmReference.WithinTolerance(GemmDType.Fp8, x.Ref * scale * scale, x.Ref * scale, x.AbsSum * scale)) >= 0.8 * refs.Count);
        var (other, _) = GemmReference.Element(a, b, 4096, 4096, 4, 9, bIsNByK: true);             // another row (an indexing bug)
        Assert.False(GemmReference.WithinTolerance(GemmDType.Fp8, other * scale, r * scale, abs * scale));
        var (nn, _) = GemmReference.Element(a, b, 4096, 4096, 3, 9, bIsNByK: false);                // B read as [K,N] (a layout bug)
        Assert.False(GemmReference.WithinTolerance(GemmDType.Fp8, nn * scale, r * scale, abs * scale));
        Assert.False(GemmReference.WithinTolerance(GemmDType.Fp8, float.NaN, r * scale, abs * scale));
    }

    [Fact]
    public void Poisoned_outputs_count_as_unwritten()
    {
        var host = new byte[16];
        Array.Fill(host, (byte)0xFF);
        BitConverter.GetBytes(BFloat16.FromFloat(1.5f)).CopyTo(host, 0);
        Assert.Equal(7, GemmOutput.CountNonFinite(host, GemmDType.Fp8)); // bf16 output: 8 halves, 1 written
        Assert.Equal(1.5f, GemmOutput.Read(host, 0, GemmDType.Bf16));
        BitConverter.GetBytes(2.5f).CopyTo(host, 4);
        Assert.Equal(3, GemmOutput.CountNonFinite(host, GemmDType.Fp32));
    }

    [Fact]
    public void Every_cublaslt_case_records_its_setup_and_fp8_its_scales_and_accumulation()
    {
        foreach (var gc in GemmCase.Sweep(false, null))
        {
            var setup = GemmSuite.Setup(gc);
            Assert.Equal("33554432", setup["workspace_bytes"]);
            Assert.StartsWith(gc.DType.Lt ? "TN" : "NN", setup["layout"]);
            if (gc.DType.Lt) _ = LtGemmProblem.Create(gc.M, gc.N, gc.K, gc.DType.Storage, gc.DType.OutputStorage); // every table shape is valid
            Assert.Equal(gc.DType == GemmDType.Fp8, setup.ContainsKey("fast_accumulation"));
        }
        Assert.Equal("cublaslt", GemmDType.Fp8.Backend);
        Assert.Equal("bf16", GemmDType.Fp8.OutputName);
        Assert.Equal(4096L * 4096 + 4096L * 4096 + 4096L * 4096 * 2, new GemmCase("square", GemmDType.Fp8, 4096, 4096, 4096).MinimumBytes);
    }
}
