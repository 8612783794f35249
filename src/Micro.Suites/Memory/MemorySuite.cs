using Micro.Core.Results;
using Micro.Suites.Running;

namespace Micro.Suites.Memory;

/// <summary>
/// The BabelStream-shaped stream suite: every kernel of the case table, float and double, over the size sweep,
/// on every backend available here. Bandwidth from the median time; the min-time (BabelStream) figure beside it.
/// </summary>
public sealed class MemorySuite(IReadOnlyList<IStreamBackendProvider> providers) : ISuite<MemoryOptions>
{
    public const string SuiteName = "memory";

    public MemorySuite() : this(StreamBackends.Providers) { }

    public string Name => SuiteName;
    public string Description => "STREAM kernels (copy, mul, add, triad, dot, nstream, read-only, write-only) from inside the LLC to 16x past it";

    public IReadOnlyList<SuiteBackend> Backends { get; } = providers.Select(p => new SuiteBackend(p.Name, p.OnHost)).ToArray();

    public MemoryOptions DefaultOptions(SuiteRequest request) => new();

    public SuiteOutcome Run(SuiteRequest request, MemoryOptions options, IResultSink sink, ISuiteProgress progress)
    {
        var skipped = new List<string>();
        var failures = new List<string>();
        var measured = new ListSink();
        sink = new TeeSink(sink, measured);
        foreach (var provider in providers)
        {
            if (!request.Wants(provider.Name)) continue;
            var set = provider.Open(request.Quick, options);
            // A backend that still runs (ILGPU falling back to its CPU emulator) gets a note, not a "skipped" line.
            if (set.Unavailable is { } why)
            {
                if (set.Backends.Count > 0) progress.Note($"memory/{provider.Name}: {why}");
                else skipped.Add($"memory/{provider.Name}: {why}");
            }
            foreach (var backend in set.Backends)
            {
                using (backend)
                    RunBackend(backend, options, request, sink, progress, skipped, failures);
            }
        }
        foreach (var line in BackendComparison.Lines(measured.Records)) progress.Note(line);
        return new SuiteOutcome(skipped, failures);
    }

    private static void RunBackend(IStreamBackend backend, MemoryOptions options, SuiteRequest request, IResultSink sink,
        ISuiteProgress progress, List<string> skipped, List<string> failures)
    {
        var target = backend.Target;
        if (options.SizeBytes is { } want && target.FixedElements is null && target.Device.MemoryBytes is { } mem && want > mem)
            throw new OptionOutOfRangeException("--size", $"{Micro.Core.Units.FormatBytes(want)} is more than the {Micro.Core.Units.FormatBytes(mem)} of {target.Device.Name} ({target.Backend}); range 1 B .. {Micro.Core.Units.FormatBytes(mem)}");
        var plan = options.DTypes.Where(backend.Supports)
            .SelectMany(t => StreamSizing.Sweep(target, t, request.Quick, options.SizeBytes, options.SizeFraction).Select(s => (t, s)))
            .ToArray();
        foreach (var t in options.DTypes.Where(t => !backend.Supports(t)))
            skipped.Add($"memory/{target.Backend} {target.Device.Name}: {t.Id()} not supported");
        var task = $"memory {target.Backend} ({target.Device.Name})";
        progress.Start(task, plan.Length * options.Kernels.Count);
        var runner = new BenchmarkRunner(RunnerOptionsFor(target, request), sink);
        foreach (var (dtype, size) in plan)
        {
            IStreamArrays arrays;
            try { arrays = backend.Allocate(dtype, size.Elements); }
            catch (OutOfMemoryException e)
            {
                skipped.Add($"memory/{target.Backend} {dtype.Id()} {size.Elements} elements: {e.Message}");
                foreach (var _ in options.Kernels) progress.Advance(task, "skipped (out of memory)");
                continue;
            }
            using (arrays)
            {
                foreach (var kernel in options.Kernels)
                {
                    var c = Describe(target, kernel, dtype, size, arrays.ParametersOf(kernel));
                    using var op = new StreamOperation(arrays, kernel, StreamValues.Default, target.Timer);
                    var record = runner.Measure(c, op);
                    if (!record.Verification.Passed)
                        failures.Add($"memory/{c.Case} {dtype.Id()} n={size.Elements} on {target.Backend} ({target.Device.Name}): {record.Verification.Wrong} wrong of {record.Verification.Checked}, max rel error {record.Verification.MaxError:G3}");
                    progress.Advance(task, $"{StreamCases.Of(kernel).Label} {dtype.Id()} {Micro.Core.Units.FormatBytes(size.TotalBytes)}: {record.Bandwidth?.Median:0.##} GB/s");
                }
            }
        }
    }

    public static RunnerOptions RunnerOptionsFor(StreamTarget target, SuiteRequest request)
    {
        // The emulator only proves correctness: few iterations whatever is asked.
        if (target.FixedElements is not null) return new RunnerOptions(1, Math.Min(request.Iterations ?? 3, 3), request.CaseTimeout);
        return request.Quick
            ? new RunnerOptions(request.Warmup ?? 1, request.Iterations ?? 5, request.CaseTimeout)
            : new RunnerOptions(request.Warmup ?? 2, request.Iterations ?? 20, request.CaseTimeout);
    }

    public static CaseDescriptor Describe(StreamTarget target, StreamKernel kernel, StreamDType dtype, StreamSize size,
        IReadOnlyDictionary<string, string>? kernelParameters = null)
    {
        var sc = StreamCases.Of(kernel);
        var parameters = new Dictionary<string, string>(target.Parameters);
        foreach (var (k, v) in kernelParameters ?? new Dictionary<string, string>()) parameters[k] = v;
        parameters["formula"] = sc.Formula;
        return new CaseDescriptor
        {
            Suite = SuiteName, Case = sc.Id, Backend = target.Backend, Device = target.Device.Name, DType = dtype.Id(),
            Bytes = StreamCases.BytesMoved(kernel, size.Elements, dtype),
            BytesCounted = $"BabelStream weight {sc.BytesWeight} x N x sizeof({dtype.Id()}) (arrays read + written, {sc.Formula})",
            Point = new Micro.Core.Results.Points.StreamParameters
            {
                Kernel = sc.Label, Elements = size.Elements, ArrayBytes = size.Elements * dtype.Size(), WorkingSetBytes = size.TotalBytes,
                PastLlc = size.PastCache, LlcBytes = target.Device.LastLevelCacheBytes,
            },
            Parameters = parameters,
            Ceiling = size.PastCache ? target.Ceiling : null,
            Label = target.Label,
            DeviceId = target.Device.Uuid,
        };
    }
}
