using System.Globalization;
using Micro.Core.Ceilings;
using Micro.Core.Results.Points;
using Micro.Devices.Cuda;
using Micro.Suites.Link;
using Micro.Suites.Running;

namespace Micro.Suites.Launch;

/// <summary>
/// Launch overhead: cuLaunchKernel back to back and as a synchronous round trip, a CUDA graph replay of N launches,
/// small pinned copies, and the event timer's resolution. Times are per launch (per copy), in seconds.
/// </summary>
public sealed class LaunchSuite : ISuite<LaunchOptions>
{
    public string Name => "launch";
    public string Description => "empty-kernel launch (stream, sync round trip, CUDA graph), small-copy latency, event timer resolution";

    public IReadOnlyList<SuiteBackend> Backends { get; } = [new("cuda")];

    public LaunchOptions DefaultOptions(SuiteRequest request) => new();

    public SuiteOutcome Run(SuiteRequest request, LaunchOptions options, IResultSink sink, ISuiteProgress progress)
    {
        var run = GpuSuiteRun.Open(Name, request, options, sink, progress, out var skipped);
        if (run is null) return skipped!;
        if (run.Precompile("launch.cu") is { } why) return new SuiteOutcome([$"{Name}: launch kernels unavailable: {why}"], []);
        var n = request.Quick ? 200 : 1000;
        progress.Start(Name, 8);
        run.Telemetry("before");
        var resolution = EventResolution.Measure(run.Session);
        run.Note(resolution.Describe());
        var res = resolution.SmallestNonZeroUs.ToString("0.000", CultureInfo.InvariantCulture);

        void Launch(string name, LaunchMode mode, bool tick, string? ceiling)
        {
            var c = run.Case(name, mode == LaunchMode.GraphReplay ? "cuda-graph" : "cuda-driver") with
            {
                DType = "", Ceiling = ceiling,
                Point = new LaunchParameters
                {
                    Kind = mode switch { LaunchMode.GraphReplay => LaunchKind.GraphReplay, LaunchMode.SyncRoundTrip => LaunchKind.SyncRoundTrip, _ => LaunchKind.Stream },
                    Kernel = tick ? "micro_tick" : "micro_empty", LaunchesPerSample = mode == LaunchMode.SyncRoundTrip ? 1 : n,
                },
                Parameters = new Dictionary<string, string> { ["grid"] = "1", ["block"] = "32", ["event_resolution_us"] = res, ["time"] = "per launch" },
            };
            run.Measure(c, () => new LaunchOperation(run.Session, mode, tick, n));
        }

        Launch("empty_stream", LaunchMode.StreamBackToBack, false, CeilingNames.LaunchLatency);
        Launch("tick_stream", LaunchMode.StreamBackToBack, true, CeilingNames.LaunchLatency);
        Launch("tick_sync_roundtrip", LaunchMode.SyncRoundTrip, true, null);
        Launch("empty_graph_replay", LaunchMode.GraphReplay, false, null);
        Launch("tick_graph_replay", LaunchMode.GraphReplay, true, null);
        foreach (var (h2d, bytes) in new[] { (true, 4), (true, 65536), (false, 4), (false, 65536) })
        {
            var c = run.Case($"small_copy_{(h2d ? "h2d" : "d2h")}_{bytes}", "cuda-copy-engine") with
            {
                DType = "u32", Bytes = bytes, BytesCounted = "bytes copied per copy",
                Point = new CopyParameters
                {
                    Direction = h2d ? CopyDirection.HostToDevice : CopyDirection.DeviceToHost, Memory = "pinned", Engine = "copy-engine", SizeBytes = bytes,
                },
                Parameters = new Dictionary<string, string> { ["copies_per_sample"] = "100", ["event_resolution_us"] = res, ["time"] = "per copy" },
            };
            run.Measure(c, () => new SmallCopyOperation(run.Session, h2d, bytes, 100));
        }
        run.Telemetry("after");
        return run.Outcome();
    }
}
