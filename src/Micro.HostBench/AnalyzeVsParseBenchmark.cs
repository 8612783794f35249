using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Micro.Core.Models;
using Micro.EndToEnd.Analysis;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Metrics;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.HostBench;

/// <summary>
/// Analysis overhead on a detailed vLLM file of 100k requests x ~128 output tokens (12.7M ITLs): the full analyze
/// (recompute every metric, goodput, length buckets, speed of light, cost) should stay under 3x parse-only.
/// Run: dotnet run -c Release --project src/Micro.HostBench -- --filter '*AnalyzeVsParse*'
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class AnalyzeVsParseBenchmark
{
    public const int Requests = 100_000;
    public const int OutputTokens = 128;
    private string _path = "";
    private AnalysisOptions _options = new();

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"micro-hostbench-vllm-{Requests}x{OutputTokens}.json");
        if (!File.Exists(_path)) DetailedResultGenerator.Write(_path, Requests, OutputTokens, seed: 20261122);
        var model = new ModelConfig
        {
            Name = "llama-8b-shape", NumLayers = 32, HiddenSize = 4096, IntermediateSize = 14336, NumAttentionHeads = 32,
            NumKeyValueHeads = 8, HeadDim = 128, VocabSize = 128256, LayerWindows = new int?[32],
        };
        _options = new AnalysisOptions
        {
            Slos = [SloSpec.Parse("p99:tpot<=20ms"), SloSpec.Parse("p95:ttft<=1s")], GpuHourPrice = 2.99, PriceSource = "bench",
            RequestsPerMonth = 1e7,
            Sol = new SolModel(model, WeightFormat.For(model, "bf16"), HardwareProfile.FromDatasheet("h100-sxm"), 1, 2, ParameterCountMode.DecodeReads),
        };
    }

    [Benchmark(Baseline = true, Description = "parse only")]
    public int Parse() => VllmResultReader.ReadFile(_path)[0].Requests!.ItlFlat.Length;

    [Benchmark(Description = "parse + full analyze")]
    public int Analyze() => Analyzer.Analyze(VllmResultReader.ReadFile(_path), _options, [_path]).Points.Count;
}
