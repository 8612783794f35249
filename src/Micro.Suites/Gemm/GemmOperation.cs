using System.Globalization;
using Micro.Core.Results;
using Micro.Devices.Cublas;
using Micro.Devices.Cuda;
using Micro.Devices.Nvrtc;
using Micro.Suites.Running;

namespace Micro.Suites.Gemm;

/// <summary>
/// One <see cref="GemmCase"/>, timed with CUDA events: cuBLASLt (heuristic top candidates each timed, the fastest kept)
/// for bf16/fp16/fp8, cublasGemmEx for tf32/fp32. When the operands fit in twice the L2, several identical operand
/// sets are rotated so the cache is not what is measured; one timed iteration runs enough GEMMs to last about a
/// millisecond and reports the time per GEMM. C is poisoned with NaN before timing; every element must be written and
/// sampled outputs must match the reference: for cuBLASLt the device reference (fp32 accumulate, itself checked against
/// a float64 CPU reference on a few outputs), for GemmEx the float64 CPU reference.
/// </summary>
public sealed class GemmOperation(GpuSession session, GemmCase c) : IMeasuredOperation
{
    private const int SeedA = 11, SeedB = 23;
    /// <summary>fp8 per-tensor scales (product 0.5, exact), not 1, so a scale that is ignored or applied twice fails verification.</summary>
    public const float Fp8ScaleA = 2f, Fp8ScaleB = 0.25f;
    /// <summary>Heuristic candidates asked for and timed (torch's TunableOp looks at the heuristic's list the same way).</summary>
    public const int TopCandidates = 8;
    private const int DeviceSamples = 1020, CrossChecked = 16;

    private readonly CudaContext _ctx = session.Context;
    private CudaStream? _stream;
    private EventTimer? _timer;
    private CublasHandle? _blas;
    private CublasLtHandle? _lt;
    private LtMatmul? _matmul;
    private LtAlgorithm? _algo;
    private DeviceMemory? _workspace, _scales;
    private readonly List<(DeviceMemory A, DeviceMemory B, DeviceMemory C)> _sets = [];
    private GemmInputs? _a, _b;
    private int _reps = 1;
    private OperandRotation _rotation = new(1);
    private readonly Dictionary<string, string> _resolved = new(StringComparer.Ordinal);

    /// <summary>The workspace recent torch gives cuBLAS/cuBLASLt on Hopper (CUBLASLT_WORKSPACE_SIZE=32768 KiB in the reference).</summary>
    public const long WorkspaceBytes = 32L << 20;

    public string Timer => "device-events";
    public int Sets => _sets.Count;
    public int Repetitions => _reps;
    public IReadOnlyDictionary<string, string> ResolvedParameters => _resolved;

    public void Prepare()
    {
        _ctx.Bind();
        _stream = _ctx.CreateStream();
        _timer = new EventTimer(_ctx, _stream);
        _workspace = _ctx.Allocate(WorkspaceBytes);
        var t = c.DType;
        _a = new GemmInputs(SeedA, t);
        _b = new GemmInputs(SeedB, t);
        var aBytes = _a.Encode((long)c.M * c.K, t);
        var bBytes = _b.Encode((long)c.K * c.N, t);
        var cBytes = (long)c.M * c.N * t.OutputBytes;
        var l2 = session.Info.LastLevelCacheBytes ?? 50L << 20;
        var setBytes = aBytes.LongLength + bBytes.LongLength + cBytes;
        var sets = (int)Math.Clamp((2 * l2 + setBytes - 1) / setBytes, 1, 8);
        for (var s = 0; s < sets; s++)
        {
            var da = _ctx.Allocate(aBytes.LongLength);
            var db = _ctx.Allocate(bBytes.LongLength);
            var dc = _ctx.Allocate(cBytes);
            CudaCopy.HostToDevice<byte>(da, aBytes);
            CudaCopy.HostToDevice<byte>(db, bBytes);
            _sets.Add((da, db, dc));
        }
        _rotation = new OperandRotation(_sets.Count);
        if (t.Lt) PrepareLt();
        else
        {
            _blas = CublasHandle.Create(_ctx, _stream);
            _blas.TrySetWorkspace(_workspace.Pointer, WorkspaceBytes); // false: an old cuBLAS keeps its default pool
        }
        Poison();
        // One untimed GEMM per set loads the kernel; one timed pass over the sets then sizes the repetitions to ~1 ms
        // per sample (a single first GEMM can be inflated by lazy loading, giving too few).
        for (var s = 0; s < _sets.Count; s++) Gemm(s);
        var once = TimeSets(1);
        _reps = (int)Math.Clamp(Math.Ceiling(1e-3 / Math.Max(once, 1e-7)), 1, 200);
        Poison();
    }

    private void PrepareLt()
    {
        var t = c.DType;
        _lt = CublasLtHandle.Create(_ctx);
        ulong scaleA = 0, scaleB = 0;
        if (t == GemmDType.Fp8)
        {
            _scales = _ctx.Allocate(8);
            CudaCopy.HostToDevice<float>(_scales, [Fp8ScaleA, Fp8ScaleB]);
            (scaleA, scaleB) = (_scales.Pointer, _scales.Pointer + 4);
        }
        var problem = LtGemmProblem.Create(c.M, c.N, c.K, t.Storage, t.OutputStorage);
        _matmul = new LtMatmul(_lt, problem, scaleA, scaleB);
        var candidates = _matmul.Heuristic(TopCandidates, WorkspaceBytes);
        var timing = new LtCandidateTiming<LtAlgorithm>(candidates, a => a.Config.Describe());
        var chosen = timing.Choose(
            warm: a => { _algo = a; for (var s = 0; s < _sets.Count; s++) Gemm(s); },
            timeOnce: a => { _algo = a; return TimeSets(Math.Max(1, (int)Math.Ceiling(8.0 / _sets.Count))); },
            isRunFailure: e => e is CublasException);
        _algo = chosen.Candidate;
        _resolved["algo"] = _algo.Describe();
        _resolved["candidates"] = candidates.Count.ToString(CultureInfo.InvariantCulture);
        _resolved["candidate_us"] = timing.Summary();
        _resolved["cublaslt"] = CublasLtHandle.Version();
    }

    /// <summary>Seconds per GEMM over <paramref name="passes"/> passes across every operand set.</summary>
    private double TimeSets(int passes)
    {
        _timer!.Start();
        for (var p = 0; p < passes; p++)
            for (var s = 0; s < _sets.Count; s++) Gemm(s);
        return _timer.Stop() / (passes * _sets.Count);
    }

    private void Poison()
    {
        // 0xFFFFFFFF is NaN as fp32 and as two bf16/fp16 halves: an unwritten output can never pass.
        foreach (var (_, _, dc) in _sets) CudaCopy.Fill32Async(dc, 0xFFFFFFFFu, _stream!);
        _stream!.Synchronize();
        _rotation.Poisoned();
    }

    private void Gemm(int set)
    {
        var (a, b, cc) = _sets[set];
        if (_matmul is not null)
        {
            _matmul.Run(_algo!, a.Pointer, b.Pointer, cc.Pointer, _workspace!.Pointer, WorkspaceBytes, _stream!.Raw);
            return;
        }
        // Row-major C[M,N] = A[M,K] B[K,N] is column-major C^T = B^T A^T: cuBLAS m=N, n=M, k=K with B first.
        var t = c.DType;
        _blas!.GemmEx(CublasConst.OpN, CublasConst.OpN, c.N, c.M, c.K, 1f, b.Pointer, t.Storage, c.N, a.Pointer, t.Storage, c.K,
            0f, cc.Pointer, t.OutputStorage, c.N, t.Compute);
    }

    public double RunTimed()
    {
        _ctx.Bind();
        _timer!.Start();
        for (var r = 0; r < _reps; r++) Gemm(_rotation.Next());
        return _timer.Stop() / _reps;
    }

    public Verification Verify()
    {
        _ctx.Bind();
        _stream!.Synchronize();
        var t = c.DType;
        var written = _rotation.Written;
        if (written.Count == 0) return Verification.Failed(0, 1, double.PositiveInfinity, "no GEMM ran since C was poisoned");
        var scale = t == GemmDType.Fp8 ? Fp8ScaleA * Fp8ScaleB : 1f;
        var deviceRef = t.Lt && GpuSession.NativeKernelsUnavailable() is null;
        var samples = GemmReference.Samples(c.M, c.N, deviceRef ? DeviceSamples : 60, 7);
        var transposedB = c.Layout == "TN";
        double[] refs, abss;
        string refMethod;
        if (deviceRef)
        {
            var (dr, ds) = GemmDeviceReference.Compute(session, _stream, c, _sets[0].A.Pointer, _sets[0].B.Pointer, samples, scale);
            refs = dr.Select(v => (double)v).ToArray();
            abss = ds.Select(v => (double)v).ToArray();
            // The device reference itself must agree with float64 on the CPU (fp32 accumulation error only).
            for (var i = 0; i < CrossChecked; i++)
            {
                var (cpu, cpuAbs) = GemmReference.Element(_a!, _b!, c.K, c.N, samples[i].Row, samples[i].Col, transposedB);
                if (!(Math.Abs(refs[i] - cpu * scale) <= 1e-5 * cpuAbs * scale + 1e-9))
                    return Verification.Failed(0, 1, double.PositiveInfinity,
                        $"device reference {refs[i]:g9} disagrees with float64 {cpu * scale:g9} at ({samples[i].Row},{samples[i].Col})");
            }
            refMethod = $"device reference (kernels/{GemmDeviceReference.Kernel}, fp32 accumulate, checked against float64 on {CrossChecked} outputs)";
        }
        else
        {
            refs = new double[samples.Count];
            abss = new double[samples.Count];
            for (var i = 0; i < samples.Count; i++)
            {
                var (r, s) = GemmReference.Element(_a!, _b!, c.K, c.N, samples[i].Row, samples[i].Col, transposedB);
                (refs[i], abss[i]) = (r * scale, s * scale);
            }
            refMethod = "float64 CPU reference";
        }
        long wrong = 0, unwritten = 0;
        double maxRel = 0;
        foreach (var set in written)
        {
            var dc = _sets[set].C;
            var host = new byte[dc.Bytes];
            CudaCopy.DeviceToHost<byte>(host, dc);
            unwritten += GemmOutput.CountNonFinite(host, t);
            for (var i = 0; i < samples.Count; i++)
            {
                var got = GemmOutput.Read(host, (long)samples[i].Row * c.N + samples[i].Col, t);
                if (!GemmReference.WithinTolerance(t, got, refs[i], abss[i])) wrong++;
                maxRel = double.IsFinite(got) ? Math.Max(maxRel, Math.Abs(got - refs[i]) / Math.Max(abss[i], 1e-30)) : double.PositiveInfinity;
            }
        }
        var checkedCount = (long)samples.Count * written.Count;
        var (o, acc) = GemmReference.Tolerance(t);
        var method = $"every output finite after NaN poisoning; {samples.Count} sampled outputs in each of {written.Count}/{_sets.Count} operand sets vs {refMethod}; " +
                     $"|err| <= {o:g3}*|ref| + {acc:g3}*sum|a*b|; max error relative to sum|a*b|";
        if (unwritten > 0) return Verification.Failed(checkedCount, wrong + unwritten, double.PositiveInfinity, method + $"; {unwritten} outputs non-finite (unwritten)");
        return wrong == 0 ? Verification.Ok(checkedCount, maxRel, method) : Verification.Failed(checkedCount, wrong, maxRel, method);
    }

    public void Dispose()
    {
        _matmul?.Dispose();
        _lt?.Dispose();
        _blas?.Dispose();
        _workspace?.Dispose();
        _scales?.Dispose();
        foreach (var (a, b, cc) in _sets)
        {
            a.Dispose();
            b.Dispose();
            cc.Dispose();
        }
        _timer?.Dispose();
        _stream?.Dispose();
    }
}
