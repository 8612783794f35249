using Micro.Core.Models;
using Micro.Core.Results;
using Micro.Core.Statistics;
using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.SpeedOfLight;
using Micro.Suites.Gemm;

namespace Micro.EndToEnd.Tests;

/// <summary>
/// The step model reads the gemm suite's own points (a synthetic results.jsonl written with the suite's case ids and
/// params): exact per-GPU shapes interpolated over M on a log scale, else the nearest shape within 2x.
/// </summary>
public class PredictionGemmPointsTests
{
    private const string Gpu = "NVIDIA H100 80GB HBM3";

    /// <summary>A results.jsonl of these cases, each timed at its roofline / efficiency(M), read back as the step model's device.</summary>
    private static DeviceProfile Profile(IEnumerable<GemmCase> cases, Func<GemmCase, double> efficiency)
    {
        var device = DeviceProfile.FromDatasheet("h100-sxm");
        var dir = Directory.CreateTempSubdirectory("micro-gemm-points-").FullName;
        using (var writer = new ResultsWriter(dir))
            foreach (var c in cases)
            {
                var seconds = Roofline(device, c.M, c.N, c.K) / efficiency(c);
                writer.Write(new MeasurementRecord
                {
                    Suite = "gemm", Case = c.Name, Backend = c.DType.Backend, Device = Gpu, DType = c.DType.Name, Flops = c.Flops,
                    Gemm = GemmSuite.Point(c), Parameters = GemmSuite.Parameters(c), Time = Stats.Summarize([seconds * 0.99, seconds, seconds * 1.01]),
                    Verification = Verification.Ok(64, 1e-3, "test"), Ceiling = c.DType.Ceiling,
                });
            }
        var file = Path.Combine(dir, ResultsWriter.FileName);
        return device.WithPoints(ResultsReader.Read(file), file, Gpu);
    }

    private static double Roofline(DeviceProfile d, double m, double n, double k) =>
        Math.Max(n * k * 2 / (d.Hardware.BandwidthGBps * 1e9), 2 * m * n * k / (d.Hardware.GemmTflops * 1e12));

    private static StepTimeModel Step(ModelConfig m, DeviceProfile d, int tp) =>
        new(m, WeightFormat.For(m, null), d, tp, 1, 2, PredictionFixtures.Params());

    private static string Source(StepTimeModel s, int m, string layer) => s.LinearSources(m).Single(x => x.Layer == layer).Source;

    [Fact]
    public void Every_layer_finds_the_points_gemm_model_measured_at_the_same_tp()
    {
        var model = PredictionFixtures.Llama8B();
        var profile = Profile(ModelGemmCases.For(model, 2, ModelGemmCases.DefaultTokens, null), _ => 0.7);
        var sources = Step(model, profile, 2).LinearSources(128);
        Assert.Equal(["qkv_proj", "o_proj", "gate_up_proj", "down_proj", "lm_head"], sources.Select(s => s.Layer));
        Assert.All(sources, s => Assert.StartsWith($"measured gemm/bf16_llama-3.1-8b.{s.Layer}.tp2_128x", s.Source));
        Assert.All(sources, s => Assert.Contains("this exact shape (efficiency 0.70", s.Source));
    }

    [Fact]
    public void Experts_find_their_points_at_one_experts_share_of_the_step()
    {
        var mixtral = PredictionFixtures.Llama8B() with { Name = "mixtral-8x7b", NumExperts = 8, ExpertsPerToken = 2, VocabSize = 32000 };
        var profile = Profile(ModelGemmCases.For(mixtral, 2, [8, 512], null), _ => 0.6);
        var step = Step(mixtral, profile, 2);
        // 512 tokens x 2 experts each over 8 experts: 128 rows per expert.
        Assert.StartsWith("measured gemm/bf16_mixtral-8x7b.experts.gate_up_proj.tp2_128x14336x4096 (cublaslt) at M=128", Source(step, 512, "experts.gate_up_proj"));
        Assert.StartsWith("measured gemm/bf16_mixtral-8x7b.experts.down_proj.tp2_128x4096x7168 (cublaslt) at M=128", Source(step, 512, "experts.down_proj"));
        // Measured at 60% of the roofline the experts take longer than on the bare roofline.
        var bare = Step(mixtral, DeviceProfile.FromDatasheet("h100-sxm"), 2);
        var load = new StepLoad(8, 0, 0, 8, 0, 0, 0, 0);
        Assert.True(step.Cost(load).Weights > bare.Cost(load).Weights * 1.5);
    }

    [Fact]
    public void Between_two_measured_M_the_time_is_interpolated_on_a_log_scale()
    {
        var model = PredictionFixtures.Llama8B();
        // Memory-bound at M <= 32 on an H100, so the roofline is flat: 40% of it at M=8, 80% at M=32.
        var measured = Profile(ModelGemmCases.For(model, 1, [8, 32], null), c => c.M == 8 ? 0.4 : 0.8);
        var step = Step(model, measured, 1);
        Assert.Equal("measured gemm/bf16_llama-3.1-8b.qkv_proj.tp1_8x6144x4096 (cublaslt) at M=8 and gemm/bf16_llama-3.1-8b.qkv_proj.tp1_32x6144x4096 (cublaslt) at M=32; " +
                     "interpolated at M=16 (log scale, efficiency 0.57 of the roofline)", Source(step, 16, "qkv_proj"));
        // Halfway on a log scale the time is the geometric mean: sqrt(R/0.4 * R/0.8) = R / sqrt(0.32).
        var atSixteen = Profile(ModelGemmCases.For(model, 1, [16], null), _ => Math.Sqrt(0.4 * 0.8));
        var load = new StepLoad(16, 0, 0, 0, 0, 0, 0, 0);
        Assert.Equal(Step(model, atSixteen, 1).Cost(load).Weights, step.Cost(load).Weights, 12);
        // Beyond the measured M the nearest one holds.
        Assert.Contains("at M=32, this exact shape, the nearest measured M to 64 (efficiency 0.80", Source(step, 64, "qkv_proj"));
    }

    [Fact]
    public void Without_points_of_the_exact_shape_the_nearest_shape_within_2x_is_kept()
    {
        // The fixed sweep's Llama-3 8B shapes are TP1 shapes: at TP2 gate_up (14336x4096) is within 2x of 28672x4096.
        var sweep = GemmCase.Sweep(false, new HashSet<string> { "bf16" }).Where(c => c.Shape != "square");
        var profile = Profile(sweep, _ => 0.5);
        var model = PredictionFixtures.Llama8B();
        Assert.StartsWith("measured GEMM point gemm/bf16_llama3-8b.gate_up.decode64_64x28672x4096 (cublaslt) nearest shape", Source(Step(model, profile, 2), 64, "gate_up_proj"));
        Assert.StartsWith("measured gemm/bf16_llama3-8b.gate_up.decode64_64x28672x4096 (cublaslt) at M=64, this exact shape", Source(Step(model, profile, 1), 64, "gate_up_proj"));
        Assert.Equal("roofline (no measured GEMM of a near shape)", Source(Step(model, DeviceProfile.FromDatasheet("h100-sxm"), 1), 64, "gate_up_proj"));
    }

    [Fact]
    public void The_layer_list_holds_the_parameters_the_counter_counts()
    {
        var model = PredictionFixtures.Llama8B();
        var c = ParameterCounter.Count(model);
        var layers = LinearLayers.Of(model, 1);
        double Sum(LinearRole r) => layers.Where(l => l.Role == r).Sum(l => (double)l.Parameters * l.Layers);
        Assert.Equal(c.Attention, Sum(LinearRole.Attention));
        Assert.Equal(c.DenseMlp, Sum(LinearRole.Mlp));
        Assert.Equal(c.LmHead, Sum(LinearRole.LmHead));
    }
}
