using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Micro.Core.Models;
using Micro.EndToEnd.Metrics;
using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.HostBench;

/// <summary>
/// `micro predict` speed (issue 13): one 128-concurrency, 10k-request simulation of Llama-3.1-8B at ISL/OSL 1024/1024
/// on the H100 datasheet (goal <= 0.3 s on 2 cores), and a --search over 4 TPs x 10 concurrencies (1..512) x 2 profiles.
/// Run: dotnet run -c Release --project src/Micro.HostBench -- --filter '*Predict*'
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class PredictBenchmarks
{
    private ServingSetup _setup = null!;
    private PhysicalParameters _params = null!;

    [GlobalSetup]
    public void Setup()
    {
        var model = new ModelConfig
        {
            Name = "llama-3.1-8b", ModelType = "llama", NumLayers = 32, HiddenSize = 4096, IntermediateSize = 14336, NumAttentionHeads = 32,
            NumKeyValueHeads = 8, HeadDim = 128, VocabSize = 128256, TorchDtype = "bfloat16", LayerWindows = new int?[32],
        };
        _setup = new ServingSetup
        {
            Model = model, Weights = WeightFormat.For(model, null), KvBytesPerElement = 2, Device = DeviceProfile.FromDatasheet("h100-sxm"),
            Deployment = Micro.EndToEnd.Deployment.Deployment.Aggregated(8, 1), Scheduler = new SchedulerConfig(512, 8192, 0.9, 16),
        };
        _params = new PhysicalParameters { Values = [0.8, 0.6, 8, 2, 0.8, 1.0, 1.5, 20, 30, 20] };
    }

    [Benchmark]
    public double Concurrency128With10kRequests()
    {
        var m = new ServingModel(_setup with { Deployment = Micro.EndToEnd.Deployment.Deployment.Aggregated(1, 1) }, _params);
        return m.Simulate(new LoadShape(128, null, 10_000), new LengthSampler(1024, 1024)).OutputThroughput;
    }

    [Benchmark]
    public int Search4Tps10Concurrencies2Profiles()
    {
        var profiles = new[] { new SearchProfile(DeviceProfile.FromDatasheet("h100-sxm"), 2.99, "bench"), new SearchProfile(DeviceProfile.FromDatasheet("h200"), 3.79, "bench") };
        return ConfigSearch.Run(_setup, _params, profiles, 8, new LengthSampler(1024, 1024), [SloSpec.Parse("p99:tpot<=50ms")], 1000, 0, "llama").Rows.Count;
    }
}
