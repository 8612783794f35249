using Micro.Core.Results;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Tests;

/// <summary>
/// A run's scheduler limits (`vllm bench serve --metadata max_num_seqs=64 ...`, vLLM's engine-arg names) are the ones it
/// is simulated with, over the command's; a bad value is one line naming the file and the key.
/// </summary>
public class PredictionRunSchedulerTests
{
    private static readonly PhysicalParameters Params = PredictionFixtures.Params();

    private static BenchmarkPoint Run(RunMetadata md) =>
        PredictionCalibrationTests.Synthetic(new ServingModel(PredictionFixtures.Setup(), Params), new LoadShape(16, null, 32), new LengthSampler(256, 32), "run.json", md);

    [Fact]
    public void MaxNumSeqsFromTheFileBoundsTheBatch()
    {
        var deployments = PredictionFixtures.Deployments(PredictionFixtures.Setup());
        var d = deployments.Resolve(Run(new RunMetadata { MaxNumSeqs = "4" }));
        Assert.Equal(4, d.Setup.Scheduler.MaxNumSeqs);
        Assert.Contains(d.Parts, p => p is { Key: "max_num_seqs", Value: "4", From: "file" });
        Assert.Contains(d.Parts, p => p is { Key: "max_num_batched_tokens", From: "flag" });
        Assert.Contains("max_num_seqs 4", d.Label);
        var sim = deployments.Model(d, Params).Simulate(new LoadShape(16, null, 32), new LengthSampler(256, 32), itlPercentiles: false);
        Assert.InRange(sim.MaxRunning, 1, 4);

        var free = deployments.Resolve(Run(RunMetadata.None));
        Assert.Contains(free.Parts, p => p is { Key: "kv_cache_dtype", Value: "bf16", From: "flag" });
        Assert.Contains(deployments.Resolve(Run(new RunMetadata { KvCacheDtype = "fp8" })).Parts, p => p is { Key: "kv_cache_dtype", Value: "fp8", From: "file" });
        var unbounded = deployments.Model(free, Params).Simulate(new LoadShape(16, null, 32), new LengthSampler(256, 32), itlPercentiles: false);
        Assert.Equal(16, unbounded.MaxRunning);
    }

    [Fact]
    public void GpuMemoryUtilizationFromTheFileSizesTheKvCache()
    {
        var deployments = PredictionFixtures.Deployments(PredictionFixtures.Setup());
        var half = deployments.Model(deployments.Resolve(Run(new RunMetadata { GpuMemoryUtilization = "0.5" })), Params);
        var usual = deployments.Model(deployments.Resolve(Run(RunMetadata.None)), Params);
        Assert.Equal(0.5, half.DecodeMemory.Utilization);
        Assert.True(half.DecodeMemory.KvBlocks < usual.DecodeMemory.KvBlocks, $"{half.DecodeMemory.KvBlocks} vs {usual.DecodeMemory.KvBlocks}");
    }

    [Theory]
    [InlineData("max_num_seqs", "0")]
    [InlineData("max_num_batched_tokens", "many")]
    [InlineData("gpu_memory_utilization", "1.5")]
    [InlineData("gpu_memory_utilization", "NaN")]
    public void ABadLimitIsOneLineNamingFileAndKey(string key, string value)
    {
        var run = Run(RunMetadata.None.With(key, value));
        var e = Assert.Throws<InputException>(() => PredictionFixtures.Deployments(PredictionFixtures.Setup()).Resolve(run));
        Assert.Equal("run.json", e.File);
        Assert.Equal(key, e.Field);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void TheReaderTakesTheLimitsFromTheTopLevel()
    {
        var bytes = PredictedResultFile.ToJson(new ServingModel(PredictionFixtures.Setup(), Params).Simulate(new LoadShape(4, null, 8), new LengthSampler(128, 16)),
            new LoadShape(4, null, 8), "synthetic/llama");
        var json = System.Text.Encoding.UTF8.GetString(bytes).TrimEnd().TrimEnd('}') + ", \"max_num_seqs\": 64, \"max_num_batched_tokens\": \"2048\", \"gpu_memory_utilization\": \"0.95\"}";
        var md = VllmResultReader.Parse(System.Text.Encoding.UTF8.GetBytes(json), "r.json")[0].Metadata;
        Assert.Equal(("64", "2048", "0.95"), (md.MaxNumSeqs, md.MaxNumBatchedTokens, md.GpuMemoryUtilization));
    }
}

/// <summary>A run the model cannot hold in its KV cache is named, with what to state if it ran with more.</summary>
public class PredictionKvPressureTests
{
    [Fact]
    public void ACheckRunThatFillsTheModelsKvCacheIsNamed()
    {
        var p = PredictionFixtures.Params();
        var deployments = PredictionFixtures.Deployments(PredictionFixtures.Setup());
        var roomy = PredictionCalibrationTests.Synthetic(new ServingModel(PredictionFixtures.Setup(), p), new LoadShape(4, null, 8), new LengthSampler(256, 32), "roomy.json");
        // The same run, but stating a cache of a few blocks: 32 requests of 4k tokens cannot all be held.
        var tight = PredictionCalibrationTests.Synthetic(new ServingModel(PredictionFixtures.Setup(), p), new LoadShape(32, null, 32), new LengthSampler(4096, 32), "tight.json",
            new RunMetadata { GpuMemoryUtilization = "0.25" });
        var check = PredictionCheck.Run(deployments, p, [roomy, tight], 0);
        Assert.Equal(["tight.json"], check.RanOutOfKv);
        var note = Calibrator.KvNote(check.RanOutOfKv);
        Assert.Contains("tight.json", note);
        Assert.Contains("kv_cache_dtype", note);
        Assert.DoesNotContain("\n", note);
    }
}
