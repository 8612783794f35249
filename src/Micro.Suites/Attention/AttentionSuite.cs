using Micro.Core.Models;
using Micro.Core.Results.Points;
using Micro.Devices.Cuda;
using Micro.Suites.Attention.Ilgpu;
using Micro.Suites.Running;

namespace Micro.Suites.Attention;

/// <summary>
/// Attention-shaped kernels for one model's shape: decode (contiguous and paged KV, split-K), MLA decode, prefill
/// (causal and not), on the ILGPU backend (CUDA, or the CPU emulator when asked) and the native NVRTC backend.
/// Every point is verified against the double-precision reference (all rows when small, sampled rows when large).
/// </summary>
public sealed class AttentionSuite : ISuite<AttentionOptions>
{
    public const string SuiteName = "attention";
    public const string IlgpuBackend = "ilgpu", NativeBackend = "native";
    /// <summary>Rows compared to the reference beyond which a seeded sample is checked.</summary>
    public const int MaxCheckedRows = 256;

    public string Name => SuiteName;
    public string Description => "Attention kernels for a model's shape: decode GB/s (contiguous/paged KV, MLA), prefill TFLOP/s";

    public IReadOnlyList<SuiteBackend> Backends { get; } = [new(NativeBackend), new(IlgpuBackend)];

    /// <summary>The default shapes on a CUDA GPU; without one, the tiny emulator shapes (correctness, not a ceiling).</summary>
    public AttentionOptions DefaultOptions(SuiteRequest request) =>
        HasCudaDevice() ? AttentionOptions.Defaults(request.Quick) : AttentionOptions.Emulator;

    private static bool HasCudaDevice()
    {
        if (!CudaDriver.TryInitialize(out _)) return false;
        try { return CudaDriver.DeviceCount() > 0; }
        catch (CudaException) { return false; }
    }

    public SuiteOutcome Run(SuiteRequest request, AttentionOptions options, IResultSink sink, ISuiteProgress progress)
    {
        var model = AttentionModel.From(ModelPresets.Resolve(options.Model));
        var skipped = new List<string>();
        var failures = new List<string>();
        foreach (var backend in OpenBackends(request, options, skipped, progress))
        {
            using (backend)
                RunBackend(backend, model, options, request, sink, progress, skipped, failures);
        }
        return new SuiteOutcome(skipped, failures);
    }

    private static IEnumerable<IAttentionBackend> OpenBackends(SuiteRequest request, AttentionOptions options, List<string> skipped, ISuiteProgress progress)
    {
        if (request.Wants(NativeBackend))
        {
            var session = GpuSession.TryOpen(0, out var why);
            var nvrtc = session is null ? null : GpuSession.NativeKernelsUnavailable();
            if (session is null) skipped.Add($"attention/native: {why}");
            else if (nvrtc is not null) skipped.Add($"attention/native: {nvrtc}");
            else yield return new NativeAttentionBackend(session, progress.Note);
        }
        if (request.Wants(IlgpuBackend))
        {
            var host = IlgpuHost.Open(options.IlgpuDevice, out var why);
            if (host is null) skipped.Add($"attention/ilgpu: {why}");
            else yield return new IlgpuAttentionBackend(host);
        }
    }

    private static void RunBackend(IAttentionBackend backend, AttentionModel model, AttentionOptions options, SuiteRequest request,
        IResultSink sink, ISuiteProgress progress, List<string> skipped, List<string> failures)
    {
        var cases = AttentionCases.Build(model, options, backend.L2Bytes, line => skipped.Add($"attention/{backend.Name}: {line}"));
        var task = $"attention {backend.Name} ({backend.Device})";
        progress.Start(task, cases.Count);
        var runner = new BenchmarkRunner(RunnerOptionsFor(backend, request), sink);
        var index = 0;
        foreach (var original in cases)
        {
            var c = original.WithQo(backend.QoBytes);
            if (backend.Unsupported(c) is { } why)
            {
                skipped.Add($"attention/{backend.Name} {c.Id}: {why}");
                progress.Advance(task, "skipped");
                continue;
            }
            var split = c.Kind switch
            {
                AttentionKernel.Decode => SplitPlan.For((long)c.Decode!.Batch * c.Decode.HeadsKv, c.Decode.Context, backend.Multiprocessors, options.Splits),
                AttentionKernel.Mla => SplitPlan.For((long)c.Mla!.Batch * ((c.Mla.Heads + 3) / 4), c.Mla.Context, backend.Multiprocessors, options.Splits),
                _ => null,
            };
            var seed = options.Seed + (ulong)(1000 * index++);
            var point = c.Point(model.Name);
            var parameters = c.Parameters();
            if (split is not null) { parameters["splits"] = split.Splits.ToString(); parameters["split_len"] = split.SplitLen.ToString(); }
            parameters["seed"] = seed.ToString();
            if (backend.Accelerator is { } accelerator) parameters["accelerator"] = accelerator;
            var descriptor = new CaseDescriptor
            {
                Suite = SuiteName, Case = c.Id, Backend = backend.Name, Device = backend.Device,
                DType = KvDTypes.Name(c.Decode?.KvType ?? c.Mla?.KvType ?? c.Prefill!.DType),
                Bytes = c.Bytes, BytesCounted = c.BytesCounted, Flops = c.Flops, Point = point, Parameters = parameters,
                Label = backend.Label, DeviceId = backend.DeviceId,
                Ceiling = backend.Label is not null ? null
                    : c.Kind == AttentionKernel.Prefill ? Micro.Core.Ceilings.AttentionCeilings.PrefillCeiling : Micro.Core.Ceilings.AttentionCeilings.DecodeCeiling,
            };
            try
            {
                using var op = backend.Create(c, split, seed, MaxCheckedRows);
                var r = runner.Measure(descriptor, op);
                if (!r.Verification.Passed)
                    failures.Add($"attention/{c.Id} {Describe(point)} on {backend.Name}: {r.Verification.Wrong} wrong of {r.Verification.Checked}, max rel error {r.Verification.MaxError:G3}");
                progress.Advance(task, $"{c.Id} {Describe(point)}: {r.Bandwidth?.Median:0.#} GB/s, {r.Compute?.Median:0.##} TFLOP/s");
            }
            catch (Exception e) when (e is ArgumentException or OutOfMemoryException or CudaException or Micro.Devices.Nvrtc.NvrtcException or ILGPU.Runtime.AcceleratorException)
            {
                skipped.Add($"attention/{backend.Name} {c.Id} {Describe(point)}: {e.Message.Split('\n')[0]}");
                progress.Advance(task, "skipped");
            }
        }
    }

    private static string Describe(AttentionParameters p) => p.IsDecode ? $"batch={p.Batch} context={p.Context}" : $"batch={p.Batch} seq_len={p.SeqLen}";

    private static RunnerOptions RunnerOptionsFor(IAttentionBackend backend, SuiteRequest request)
    {
        if (backend.Label is not null) return new RunnerOptions(0, 1, request.CaseTimeout ?? TimeSpan.FromMinutes(5));
        return request.Quick
            ? new RunnerOptions(request.Warmup ?? 2, request.Iterations ?? 10, request.CaseTimeout)
            : new RunnerOptions(request.Warmup ?? 3, request.Iterations ?? 30, request.CaseTimeout);
    }
}
