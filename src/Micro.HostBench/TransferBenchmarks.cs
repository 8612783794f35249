using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Micro.Core.Models;
using Micro.EndToEnd.Ingest;
using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.SpeedOfLight;

namespace Micro.HostBench;

/// <summary>
/// `micro predict` across deployments (issue 18): a joint calibration over 45 runs of 9 deployments (Llama-3.1-70B FP8 on
/// the H100, H200 and B200 datasheets at TP 2/4/8, closed loop at c 4..64 with 10 x c prompts, 1024/1024 drawn with range
/// ratio 0.8, generated in code from known parameters; goal <= 30 s on 2 cores), and one calibrated prediction (c64,
/// 640 prompts; goal <= 50 ms).
/// Run: dotnet run -c Release --project src/Micro.HostBench -- --filter '*Transfer*'
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3)]
[MemoryDiagnoser]
public class TransferBenchmarks
{
    private ServingSetup _setup = null!;
    private List<BenchmarkPoint> _runs = null!;
    private PhysicalParameters _truth = null!;

    [GlobalSetup]
    public void Setup()
    {
        var model = ModelPresets.Resolve("llama-3.1-70b");
        _setup = new ServingSetup
        {
            Model = model, Weights = WeightFormat.For(model, "fp8"), KvBytesPerElement = 2, Device = DeviceProfile.FromDatasheet("h100-sxm"),
            Deployment = Micro.EndToEnd.Deployment.Deployment.Aggregated(8, 8), Scheduler = new SchedulerConfig(1024, 8192, 0.9, 16),
        };
        _truth = new PhysicalParameters { Values = [0.82, 0.5, 2, 5, 0.7, 1.0, 2.5, 35, 20, 10] };
        _runs = [];
        foreach (var gpu in new[] { "h100-sxm", "h200", "b200" })
            foreach (var tp in new[] { 2, 4, 8 })
                foreach (var c in new[] { 4, 8, 16, 32, 64 })
                {
                    var setup = _setup with { Device = DeviceProfile.FromDatasheet(gpu), Deployment = Micro.EndToEnd.Deployment.Deployment.Aggregated(tp, tp) };
                    var load = new LoadShape(c, null, 10 * c);
                    var sim = new ServingModel(setup, _truth).Simulate(load, new LengthSampler(1024, 1024) { RangeRatio = 0.8 });
                    var md = new RunMetadata { Gpu = gpu, TensorParallelSize = tp.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                    _runs.Add(VllmResultReader.Parse(PredictedResultFile.ToJson(sim, load, "meta-llama/Llama-3.1-70B"), $"{gpu}_tp{tp}_c{c}.json")[0] with { Metadata = md, Requests = null });
                }
    }

    [Benchmark]
    public double JointCalibration45Runs9Deployments()
    {
        var deployments = new RunDeployments(_setup, _ => _setup.Scheduler, 0.8);
        return Calibrator.Fit(deployments, _runs, PhysicalParameters.Prior(false)).RmsPercent;
    }

    [Benchmark]
    public double OneCalibratedPrediction()
    {
        var m = new ServingModel(_setup with { Device = DeviceProfile.FromDatasheet("b200") }, _truth);
        return m.Simulate(new LoadShape(64, null, 640), new LengthSampler(1024, 1024) { RangeRatio = 0.8 }).OutputThroughput;
    }
}
