using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Micro.Core.Models;
using Micro.EndToEnd.Cost;
using Micro.EndToEnd.Metrics;
using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.SpeedOfLight;
using Micro.EndToEnd.Traffic;

namespace Micro.HostBench;

/// <summary>
/// Trace replay speed (issue 19): the Azure LLM inference conversation hour (19,366 requests) replayed on one replica
/// of Llama-3.1-70B FP8 at TP8 on the H100 datasheet (goal <= 2 s), and `--plan` over TP 2/4/8 x H100/H200 with p95
/// TTFT <= 1 s and p95 TPOT <= 50 ms in every 5-minute window (goal <= 60 s on 2 cores). Reads the trace from
/// MICRO_SHARED_DATA or ../shared/data above the working directory. Also the Mooncake synthetic trace (3,993 prompts of
/// 15k tokens with 512-token prefix hashes) on six H100 TP8 replicas with prefix caching on: the per-block cache work
/// that made `--plan` with caching several times slower than without.
/// Run: dotnet run -c Release --project src/Micro.HostBench -- --filter '*Traffic*'
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class TrafficBenchmarks
{
    private RequestTrace _trace = null!;
    private RequestTrace _mooncake = null!;
    private ModelConfig _model = null!;
    private readonly PhysicalParameters _params = PhysicalParameters.Prior(false);

    [GlobalSetup]
    public void Setup()
    {
        var roots = new List<string>();
        if (Environment.GetEnvironmentVariable("MICRO_SHARED_DATA") is { Length: > 0 } env) roots.Add(env);
        for (var d = new DirectoryInfo(Environment.CurrentDirectory); d is not null; d = d.Parent) roots.Add(Path.Combine(d.FullName, "shared", "data"));
        RequestTrace Read(string relative) => TraceReader.TryRead(roots.Select(r => Path.Combine(r, relative)).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("a trace of ../shared/data: set MICRO_SHARED_DATA to ../shared/data", relative))!;
        _trace = Read("traces/azure_llm_2023_conv/AzureLLMInferenceTrace_conv.csv");
        _mooncake = Read("traces/mooncake_fast25_synthetic/synthetic_trace.jsonl");
        _model = ModelPresets.Resolve("llama-3.1-70b");
    }

    private ServingModel Model(string gpu, int tp) => new(new ServingSetup
    {
        Model = _model, Weights = WeightFormat.For(_model, "fp8"), KvBytesPerElement = 2, Device = DeviceProfile.FromDatasheet(gpu),
        Deployment = Micro.EndToEnd.Deployment.Deployment.Aggregated(tp, tp), Scheduler = new SchedulerConfig(1024, 8192, 0.9, 16),
    }, _params);

    [Benchmark]
    public int AzureConversationHourOnOneReplica() =>
        Model("h100-sxm", 8).Simulate(new LoadShape(null, null, _trace.Requests.Count) { Trace = _trace }, new LengthSampler(1, 1)).Completed;

    [Benchmark]
    public int MooncakeWithPrefixCachingOnSixReplicas() =>
        new ServingSimulator(Model("h100-sxm", 8).Decode with { Replicas = 6 })
            .Run(new LoadShape(null, null, _mooncake.Requests.Count) { Trace = _mooncake, TimeoutSeconds = 60 }, new LengthSampler(1, 1)).Completed;

    [Benchmark]
    public int Plan3Tps2Gpus()
    {
        var configs = new[] { "h100-sxm", "h200" }.SelectMany(g => new[] { 2, 4, 8 }.Select(tp => new PlanConfig(Model(g, tp), g, GpuPrices.Find(g)?.DollarsPerGpuHour, "built-in"))).ToList();
        return CapacityPlan.Run(new PlanRequest
        {
            Configs = configs, Load = new LoadShape(null, null, _trace.Requests.Count) { Trace = _trace }, Lengths = new LengthSampler(1, 1),
            Slos = [SloSpec.Parse("p95:ttft<=1s"), SloSpec.Parse("p95:tpot<=50ms")], WindowSeconds = 300,
        }).Rows.Sum(r => r.Replicas);
    }
}
