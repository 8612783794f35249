using BenchmarkDotNet.Attributes;
using Micro.Core.Results;
using Micro.Core.Statistics;

namespace Micro.HostBench;

/// <summary>
/// Cost of writing one measured point: ResultsWriter serializes a record to one JSON line and flushes it to disk
/// (so a crash keeps every point measured). This is per point, never inside a timed region.
/// </summary>
[MemoryDiagnoser]
public class LaunchResultWriterBenchmarks
{
    private string _dir = "";
    private ResultsWriter _writer = null!;
    private MeasurementRecord _record = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("micro-hostbench-").FullName;
        _writer = new ResultsWriter(_dir);
        var samples = Enumerable.Range(1, 20).Select(i => 1e-5 * (1 + i * 0.01)).ToArray();
        _record = new MeasurementRecord
        {
            Suite = "launch", Case = "tick_stream", Backend = "cuda-driver", Device = "NVIDIA H100 80GB HBM3",
            Launch = new Micro.Core.Results.Points.LaunchParameters { Kind = Micro.Core.Results.Points.LaunchKind.Stream, Kernel = "micro_tick", LaunchesPerSample = 1000 },
            Time = Stats.Summarize(samples), Verification = Verification.Ok(1, 0, "counter"), Ceiling = "launch_latency",
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Description = "ResultsWriter.Write (serialize + flush to disk)")]
    public void Write() => _writer.Write(_record);

    [Benchmark(Description = "Stats.Summarize(20 samples)")]
    public SampleSummary Summarize() => Stats.Summarize([1e-5, 1.1e-5, 0.9e-5, 1.05e-5, 1.2e-5, 1e-5, 1.01e-5, 0.99e-5, 1.3e-5, 1e-5,
        1e-5, 1.1e-5, 0.9e-5, 1.05e-5, 1.2e-5, 1e-5, 1.01e-5, 0.99e-5, 1.3e-5, 1e-5]);
}
