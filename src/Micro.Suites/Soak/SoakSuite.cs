using System.Diagnostics;
using System.Globalization;
using Micro.Core.Context;
using Micro.Core.Results;
using Micro.Core.Statistics;
using Micro.Devices.Cublas;
using Micro.Devices.Cuda;
using Micro.Devices.Native;
using Micro.Devices.Nvrtc;
using Micro.Suites.Gemm;
using Micro.Suites.Link;
using Micro.Suites.Running;

namespace Micro.Suites.Soak;

/// <summary>
/// `micro run --soak S`: the bf16 GEMM (8192^3, cuBLASLt tuned) and the D2D copy (1 GiB, copy engine) each run back to
/// back for S seconds; every <see cref="WindowSeconds"/> window is one results.jsonl point with its throughput and the
/// NVML power, energy, clocks, temperature and throttle reasons sampled during it: the power/thermal vs performance
/// frontier over time. The output is verified once, after the last window (a pause per window would cool the card),
/// and the windows are written then, with that verification. Extra["soak_seconds"] = S.
/// </summary>
public sealed class SoakSuite : ISuite
{
    public const string ExtraKey = "soak_seconds";
    public const double WindowSeconds = 2.0;

    public string Name => "soak";
    public string Description => "bf16 GEMM and D2D copy for S seconds each: throughput, power, clocks, temperature, throttle reasons per window";

    public SuiteOutcome Run(SuiteRequest request, IResultSink sink, ISuiteProgress progress)
    {
        if (!request.Extra.TryGetValue(ExtraKey, out var text) || !double.TryParse(text, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0))
            return new SuiteOutcome([$"{Name}: no --soak duration given"], []);
        var run = GpuSuiteRun.Open(Name, request, sink, progress, out var skipped);
        if (run is null) return skipped!;
        var gemm = new GemmCase("square", GemmDType.Bf16, 8192, 8192, 8192);
        var copy = new LinkCase(LinkDirection.DeviceToDevice, HostMemory.Device, CopyEngine.CopyEngine, 1L << 30);
        var workloads = new List<Workload>();
        if (CublasLtHandle.TryLoad(out var why))
            workloads.Add(new Workload("gemm_bf16_8192", gemm.Flops, 0, "", gemm.DType.Ceiling, "cublaslt", () => new GemmOperation(run.Session, gemm)));
        else run.Skip($"gemm: {why}");
        workloads.Add(new Workload("d2d_copy_1GiB", 0, copy.CountedBytes, copy.BytesCounted, copy.Ceiling, "cuda-copy-engine", () => new LinkOperation(run.Session, copy)));
        var source = PowerSources.Find(run.DeviceName, run.Session.Info.PciBusId);
        if (source is null) run.Note($"soak: no power source ({run.Session.TelemetryUnavailable}); throughput only");
        progress.Start(Name, workloads.Count);
        run.Telemetry("before");
        var failures = new List<string>();
        foreach (var w in workloads)
        {
            try { Soak(run, w, seconds, source, sink, progress, failures); }
            catch (Exception e) when (e is CudaException or NvrtcException or CublasException or NativeLibraryMissingException or OutOfMemoryException)
            {
                failures.Add($"{Name}/{w.Name}: {e.Message.Split('\n')[0]}");
            }
        }
        run.Telemetry("after");
        var outcome = run.Outcome();
        return new SuiteOutcome(outcome.Skipped, [.. outcome.Failures, .. failures]);
    }

    private sealed record Workload(string Name, double Flops, long Bytes, string BytesCounted, string? Ceiling, string Backend, Func<IMeasuredOperation> Create);

    private void Soak(GpuSuiteRun run, Workload w, double seconds, IPowerSource? source, IResultSink sink, ISuiteProgress progress, List<string> failures)
    {
        using var op = w.Create();
        op.Prepare();
        for (var i = 0; i < 3; i++) op.RunTimed();
        var windows = new List<(double Start, double[] Times, PowerSummary? Power)>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            var start = clock.Elapsed.TotalSeconds;
            using var sampler = source is null ? null : PowerSampler.Start(source);
            var times = new List<double>();
            while (clock.Elapsed.TotalSeconds - start < WindowSeconds && clock.Elapsed.TotalSeconds < seconds) times.Add(op.RunTimed());
            windows.Add((start, times.ToArray(), sampler?.Stop()));
        }
        var verification = op.Verify();
        foreach (var (start, times, power) in windows)
        {
            var time = Stats.Summarize(times);
            var record = new MeasurementRecord
            {
                Suite = Name, Case = w.Name, Backend = w.Backend, Device = run.DeviceName, DeviceId = run.Session.Info.PciBusId,
                DType = w.Flops > 0 ? "bf16" : "u32", Bytes = w.Bytes, BytesCounted = w.BytesCounted, Flops = w.Flops,
                Parameters = (op.ResolvedParameters ?? new Dictionary<string, string>()).Concat(new Dictionary<string, string>
                {
                    ["t_start_s"] = start.ToString("0.###", CultureInfo.InvariantCulture),
                    ["window_s"] = WindowSeconds.ToString("0.###", CultureInfo.InvariantCulture),
                    ["soak_s"] = seconds.ToString("0.###", CultureInfo.InvariantCulture),
                }).ToDictionary(p => p.Key, p => p.Value),
                Timer = op.Timer, Warmup = 3, Time = time,
                Bandwidth = MeasurementFactory.BandwidthOf(w.Bytes, time), Compute = MeasurementFactory.ComputeOf(w.Flops, time),
                Verification = verification, Ceiling = w.Ceiling, Label = "soak window", Power = power,
            };
            sink.Add(record);
            run.Note($"soak {w.Name} t={start:0.0}s: {Figure(record)}, {PowerLine(power)}");
        }
        progress.Advance(Name, $"{w.Name}: {windows.Count} windows of {WindowSeconds} s");
        if (!verification.Passed) failures.Add($"{Name}/{w.Name}: verification failed ({verification.Wrong} of {verification.Checked} wrong, {verification.Method})");
    }

    private static string Figure(MeasurementRecord r) =>
        r.Compute is { } c ? $"{c.Median:0.0} TFLOP/s" : r.Bandwidth is { } b ? $"{b.Median:0.0} GB/s" : $"{r.Time.Median * 1e6:0.00} us";

    public static string PowerLine(PowerSummary? p) => p is null ? "power n/a" :
        $"{(p.AverageWatts is { } w ? $"{w:0} W" : "n/a W")}, SM {p.SmClockMinMHz?.ToString(CultureInfo.InvariantCulture) ?? "?"}-{p.SmClockMaxMHz?.ToString(CultureInfo.InvariantCulture) ?? "?"} MHz, " +
        $"{p.TemperatureMaxC?.ToString("0", CultureInfo.InvariantCulture) ?? "?"} C, reasons: {(p.ThrottleReasons.Count == 0 ? "none" : string.Join(",", p.ThrottleReasons))}";
}
