using System.Globalization;
using Micro.Core.Hardware;
using Micro.Devices.Cublas;
using Micro.Suites.Link;
using Micro.Suites.Running;

namespace Micro.Suites.Gemm;

/// <summary>
/// The GEMM ceiling through cuBLAS (cublasGemmEx): bf16, fp16, tf32, fp32 square sizes up to 8192 and LLM-shaped
/// bf16 GEMMs, TFLOP/s and the fraction of the datasheet rate. fp8 needs cuBLASLt and is not measured here.
/// <see cref="GemmOptions.DTypes"/> limits the precisions.
/// </summary>
public sealed class GemmSuite : ISuite<GemmOptions>
{
    public string Name => "gemm";
    public string Description => "cuBLAS GemmEx bf16/fp16/tf32/fp32, square sizes to 8192 and LLM shapes, TFLOP/s vs datasheet";

    public IReadOnlyList<SuiteBackend> Backends { get; } = [new("cublas")];

    public GemmOptions DefaultOptions(SuiteRequest request) => new();

    public SuiteOutcome Run(SuiteRequest request, GemmOptions options, IResultSink sink, ISuiteProgress progress)
    {
        var run = GpuSuiteRun.Open(Name, request, options, sink, progress, out var skipped);
        if (run is null) return skipped!;
        if (!CublasHandle.TryLoad(out var why)) return new SuiteOutcome([$"{Name}: {why}"], []);
        var dtypes = options.DTypes;
        var spec = Datasheet.Match(run.DeviceName);
        var cases = GemmCase.Sweep(request.Quick, dtypes);
        progress.Start(Name, cases.Count);
        run.Telemetry("before");
        foreach (var gc in cases)
        {
            var datasheet = gc.DType.Datasheet(spec);
            var parameters = new Dictionary<string, string>
            {
                ["shape"] = gc.Shape, ["m"] = Inv(gc.M), ["n"] = Inv(gc.N), ["k"] = Inv(gc.K),
                ["layout"] = "row-major C[M,N]=A[M,K]@B[K,N] (torch.matmul)", ["compute"] = gc.DType.Compute.ToString(),
                ["output"] = gc.DType.Name == "tf32" ? "fp32" : gc.DType.Name,
                ["workspace"] = "32 MiB via cublasSetWorkspace_v2 (cuBLAS's default pool where that entry point is missing)",
            };
            if (datasheet is { } ds) parameters["datasheet_tflops"] = ds.ToString("0.###", CultureInfo.InvariantCulture);
            var c = run.Case(gc.Name, "cublas") with
            {
                DType = gc.DType.Name, Flops = gc.Flops, Bytes = 0, Ceiling = gc.DType.Ceiling, Parameters = parameters,
                BytesCounted = "", Label = gc.M < 256 ? "small M: bounded by weight bandwidth, not tensor-core rate" : null,
            };
            run.Measure(c, () => new GemmOperation(run.Session, gc));
        }
        run.Telemetry("after");
        return run.Outcome();
    }

    private static string Inv(int v) => v.ToString(CultureInfo.InvariantCulture);
}
