using System.Globalization;
using Micro.Core.Hardware;
using Micro.Core.Results.Points;
using Micro.Devices.Cublas;
using Micro.Suites.Link;
using Micro.Suites.Running;

namespace Micro.Suites.Gemm;

/// <summary>
/// The GEMM ceilings: bf16, fp16 and fp8 e4m3 (per-tensor scales, bf16 output) through cuBLASLt, TN layout, its
/// heuristic's top candidates each timed and the fastest kept (algorithm recorded); tf32 and fp32 through cublasGemmEx.
/// Square sizes up to 8192 and the LLM shapes (bf16 and fp8), TFLOP/s and the fraction of the datasheet rate.
/// <see cref="GemmOptions.DTypes"/> limits the precisions; <see cref="GemmOptions.Model"/> measures a model's own layers instead.
/// </summary>
public sealed class GemmSuite : ISuite<GemmOptions>
{
    public string Name => "gemm";
    public string Description => "cuBLASLt bf16/fp16/fp8 (tuned over the heuristic's top candidates) and cuBLAS GemmEx tf32/fp32, square sizes to 8192 and LLM shapes, TFLOP/s vs datasheet";

    public IReadOnlyList<SuiteBackend> Backends { get; } = [new("cublas")];

    public GemmOptions DefaultOptions(SuiteRequest request) => new();

    public SuiteOutcome Run(SuiteRequest request, GemmOptions options, IResultSink sink, ISuiteProgress progress)
    {
        var run = GpuSuiteRun.Open(Name, request, options, sink, progress, out var skipped);
        if (run is null) return skipped!;
        if (!CublasHandle.TryLoad(out var why)) return new SuiteOutcome([$"{Name}: {why}"], []);
        var ltMissing = CublasLtHandle.TryLoad(out var ltWhy) ? null : ltWhy;
        var dtypes = options.DTypes;
        var spec = Datasheet.Match(run.DeviceName);
        var cases = options.Cases(request.Quick);
        if (ltMissing is not null)
        {
            run.Skip($"bf16/fp16/fp8 need cuBLASLt: {ltMissing}");
            cases = cases.Where(gc => !gc.DType.Lt).ToList();
        }
        var unfit = cases.Where(gc => LtShapeProblem(gc) is not null).ToList();
        foreach (var gc in unfit) run.Skip($"{gc.Name}: {LtShapeProblem(gc)}");
        cases = cases.Except(unfit).ToList();
        progress.Start(Name, cases.Count);
        run.Telemetry("before");
        foreach (var gc in cases)
        {
            var datasheet = gc.DType.Datasheet(spec);
            var parameters = Parameters(gc);
            if (datasheet is { } ds) parameters["datasheet_tflops"] = ds.ToString("0.###", CultureInfo.InvariantCulture);
            var c = run.Case(gc.Name, gc.DType.Backend) with
            {
                DType = gc.DType.Name, Flops = gc.Flops, Bytes = 0, Ceiling = gc.DType.Ceiling, Point = Point(gc), Parameters = parameters,
                BytesCounted = "", Label = gc.M < 256 ? "small M: bounded by weight bandwidth, not tensor-core rate" : null,
            };
            run.Measure(c, () => new GemmOperation(run.Session, gc));
        }
        run.Telemetry("after");
        return run.Outcome();
    }

    /// <summary>The results row's typed point: shape, m, n, k, dtype (what predict's DeviceProfile reads), and for a model's layer its model, layer, tp and step tokens.</summary>
    public static GemmParameters Point(GemmCase gc) => new()
    {
        Shape = gc.Shape, M = gc.M, N = gc.N, K = gc.K,
        Dtype = PointNames.Parse<GemmDtype>(gc.DType.Name) ?? throw new InvalidOperationException("unknown GEMM dtype " + gc.DType.Name),
        Model = gc.Layer?.Model, Layer = gc.Layer?.Layer, Tp = gc.Layer?.TensorParallel, Tokens = gc.Layer?.Tokens,
    };

    /// <summary>The results row's text parameters: compute and output types, and the library setup.</summary>
    public static Dictionary<string, string> Parameters(GemmCase gc)
    {
        var p = new Dictionary<string, string> { ["compute"] = gc.DType.Compute.ToString(), ["output"] = gc.DType.OutputName };
        foreach (var (k, v) in Setup(gc)) p[k] = v;
        return p;
    }

    /// <summary>Why cuBLASLt cannot take this shape as Micro runs it (N and K multiples of 16), null when it can.</summary>
    public static string? LtShapeProblem(GemmCase gc)
    {
        if (!gc.DType.Lt) return null;
        try
        {
            LtGemmProblem.Create(gc.M, gc.N, gc.K, gc.DType.Storage, gc.DType.OutputStorage);
            return null;
        }
        catch (ArgumentException e) { return e.Message + " (not measured)"; }
    }

    /// <summary>What both sides of a comparison must share: layout, alignment, workspace, accumulation, scales.</summary>
    public static IReadOnlyDictionary<string, string> Setup(GemmCase gc)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["workspace_bytes"] = GemmOperation.WorkspaceBytes.ToString(CultureInfo.InvariantCulture),
        };
        if (gc.DType.Lt)
        {
            d["layout"] = "TN: row-major C[M,N]=A[M,K]@W[N,K]^T (torch.matmul(a, w.t()) / torch._scaled_mm(a, w.t()))";
            d["alignment"] = $"dimensions multiples of {LtGemmProblem.Alignment}, buffers 256-byte aligned (cuMemAlloc)";
            d["tuning"] = $"cuBLASLt heuristic top {GemmOperation.TopCandidates}, each timed {LtCandidateTiming<LtAlgorithm>.Trials}x, fastest kept";
            d["workspace"] = "32 MiB, the heuristic limited to it";
        }
        else
        {
            d["layout"] = "NN: row-major C[M,N]=A[M,K]@B[K,N] (torch.matmul(a, b))";
            d["workspace"] = "32 MiB via cublasSetWorkspace_v2 (cuBLAS's default pool where that entry point is missing)";
        }
        if (gc.DType == GemmDType.Fp8)
        {
            d["fast_accumulation"] = "off (CUBLASLT_MATMUL_DESC_FAST_ACCUM=0, torch._scaled_mm use_fast_accum=False)";
            d["scales"] = $"per-tensor fp32 scale_a={GemmOperation.Fp8ScaleA.ToString(CultureInfo.InvariantCulture)} scale_b={GemmOperation.Fp8ScaleB.ToString(CultureInfo.InvariantCulture)}";
        }
        return d;
    }
}
