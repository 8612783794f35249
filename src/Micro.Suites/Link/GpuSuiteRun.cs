using Micro.Devices.Cublas;
using Micro.Devices.Cuda;
using Micro.Devices.Native;
using Micro.Devices.Nvrtc;
using Micro.Suites.Running;

namespace Micro.Suites.Link;

/// <summary>
/// What the native GPU suites (link, gemm, launch) share: opening the device, NVML telemetry before and after,
/// runner options from the request, and turning a failed case into one failure line instead of a crash.
/// </summary>
public sealed class GpuSuiteRun
{
    public GpuSession Session { get; }
    public BenchmarkRunner Runner { get; }
    public SuiteRequest Request { get; }
    private readonly string _suite;
    private readonly ISuiteProgress _progress;
    private readonly List<string> _skipped = [];
    private readonly List<string> _failures = [];

    private GpuSuiteRun(string suite, GpuSession session, SuiteRequest request, IResultSink sink, ISuiteProgress progress)
    {
        _suite = suite;
        Session = session;
        Request = request;
        _progress = progress;
        var quick = request.Quick;
        Runner = new BenchmarkRunner(new RunnerOptions(request.Warmup ?? (quick ? 1 : 3), request.Iterations ?? (quick ? 5 : 20), request.CaseTimeout), sink);
    }

    /// <summary>Opens the device of <paramref name="options"/>, or returns null after adding the skip reason.</summary>
    public static GpuSuiteRun? Open(string suite, SuiteRequest request, GpuSuiteOptions options, IResultSink sink, ISuiteProgress progress, out SuiteOutcome? skipped)
    {
        skipped = null;
        var session = GpuSession.TryOpen(options.Device, out var why);
        if (session is null)
        {
            skipped = new SuiteOutcome([$"{suite}: {why}"], []);
            return null;
        }
        var run = new GpuSuiteRun(suite, session, request, sink, progress);
        var i = session.Info;
        run.Note($"device {i.Ordinal}: {i.Name}, cc {i.ComputeCapability} ({session.Arch}), {i.ComputeUnits} SMs, L2 {i.LastLevelCacheBytes / (1 << 20)} MiB, " +
                 $"{i.MemoryBytes / (1L << 30)} GiB, theoretical {i.TheoreticalBandwidthGBps:0} GB/s, {i.Driver}, PCI {i.PciBusId}");
        return run;
    }

    /// <summary>Compiles and loads kernels/<paramref name="file"/> now (printing how), or returns the one-line reason it cannot.</summary>
    public string? Precompile(string file)
    {
        if (GpuSession.NativeKernelsUnavailable() is { } why) return why;
        try
        {
            Session.Module(file, Note);
            return null;
        }
        catch (Exception e) when (e is CudaException or NvrtcException)
        {
            Note($"kernels/{file}: {e.Message}");
            return e.Message.Split('\n')[0];
        }
    }

    public string DeviceName => Session.Info.Name;
    public int Sms => Session.Info.ComputeUnits ?? 1;
    public void Note(string line) => _progress.Note(line);
    public void Skip(string line) => _skipped.Add($"{_suite}: {line}");

    public void Telemetry(string when)
    {
        var line = Session.SampleTelemetry($"{when} {_suite}");
        Note(line is null ? $"telemetry: {Session.TelemetryUnavailable}" : "telemetry " + line);
    }

    /// <summary>Measures one case; a driver/NVRTC/cuBLAS error or a failed verification becomes a failure line.</summary>
    public void Measure(CaseDescriptor c, Func<IMeasuredOperation> create)
    {
        try
        {
            using var op = create();
            var r = Runner.Measure(c, op);
            var figure = r.Bandwidth is { } bw ? $"{bw.Median:0.0} GB/s" : r.Compute is { } fl ? $"{fl.Median:0.0} TFLOP/s" : $"{r.Time.Median * 1e6:0.00} us";
            _progress.Advance(_suite, $"{c.Case}: {figure}{(r.Verification.Passed ? "" : " FAILED verification")}");
            if (!r.Verification.Passed)
                _failures.Add($"{_suite}/{c.Case}: verification failed ({r.Verification.Wrong} of {r.Verification.Checked} wrong, max error {r.Verification.MaxError:g3}, {r.Verification.Method})");
        }
        catch (Exception e) when (e is CudaException or NvrtcException or CublasException or NativeLibraryMissingException or OutOfMemoryException)
        {
            _failures.Add($"{_suite}/{c.Case}: {e.Message.Split('\n')[0]}");
            Note($"{_suite}/{c.Case} failed: {e.Message}");
        }
    }

    public SuiteOutcome Outcome() => new(_skipped, _failures);

    public CaseDescriptor Case(string caseName, string backend) => new()
    {
        Suite = _suite, Case = caseName, Backend = backend, Device = DeviceName, DeviceId = Session.Info.PciBusId,
    };
}
