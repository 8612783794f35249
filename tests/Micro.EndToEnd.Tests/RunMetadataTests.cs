using Micro.EndToEnd.Ingest;

namespace Micro.EndToEnd.Tests;

/// <summary>The `--metadata` keys a run may carry are a contract: their names and order, and each reaching its own property.</summary>
public class RunMetadataTests
{
    [Fact]
    public void TheKeysAreVllmsEngineArgNamesAndMicrosPoolFlagsInAFixedOrder()
    {
        Assert.Equal(
            ["gpu", "tensor_parallel_size", "expert_parallel_size", "data_parallel_size", "quantization", "kv_cache_dtype", "prefill_gpus", "prefill_tp",
             "decode_gpus", "decode_tp", "max_num_seqs", "max_num_batched_tokens", "gpu_memory_utilization", "enable_expert_parallel",
             "pipeline_parallel_size"],
            RunMetadata.Keys);
    }

    [Fact]
    public void EachKeySetsItsOwnValueAndNoOther()
    {
        foreach (var key in RunMetadata.Keys)
        {
            var m = RunMetadata.None.With(key, "v-" + key);
            Assert.False(m.IsEmpty);
            foreach (var other in RunMetadata.Keys) Assert.Equal(other == key ? "v-" + key : null, m.Get(other));
        }
        Assert.Equal(RunMetadata.None, RunMetadata.None.With("not_a_key", "x"));
        Assert.Null(RunMetadata.None.Get("not_a_key"));
        Assert.Equal("h200", new RunMetadata { Gpu = "h200" }.Get("gpu"));
        Assert.Equal("0.85", RunMetadata.None.With("gpu_memory_utilization", "0.85").GpuMemoryUtilization);
    }
}
