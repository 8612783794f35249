using Micro.Core.Results;
using Micro.Devices.Cublas;
using Micro.Devices.Cuda;
using Micro.Suites.Running;

namespace Micro.Suites.Gemm;

/// <summary>
/// cublasGemmEx for one <see cref="GemmCase"/>, timed with CUDA events. When the operands fit in twice the L2,
/// several identical operand sets are rotated so the cache is not what is measured; one timed iteration runs enough
/// GEMMs to last about a millisecond and reports the time per GEMM. C is poisoned with NaN before timing and
/// sampled outputs are checked against a float64 CPU reference.
/// </summary>
public sealed class GemmOperation(GpuSession session, GemmCase c) : IMeasuredOperation
{
    private const int SeedA = 11, SeedB = 23;
    private readonly CudaContext _ctx = session.Context;
    private CudaStream? _stream;
    private EventTimer? _timer;
    private CublasHandle? _blas;
    private DeviceMemory? _workspace;
    private readonly List<(DeviceMemory A, DeviceMemory B, DeviceMemory C)> _sets = [];
    private GemmInputs? _a, _b;
    private int _reps = 1;
    private OperandRotation _rotation = new(1);

    /// <summary>A workspace the size recent torch gives cuBLAS on Hopper, so cuBLAS may choose the kernels torch's matmul gets.</summary>
    public const long WorkspaceBytes = 32L << 20;

    public string Timer => "device-events";

    public int Sets => _sets.Count;
    public int Repetitions => _reps;

    public void Prepare()
    {
        _ctx.Bind();
        _stream = _ctx.CreateStream();
        _timer = new EventTimer(_ctx, _stream);
        _blas = CublasHandle.Create(_ctx, _stream);
        _workspace = _ctx.Allocate(WorkspaceBytes);
        _blas.TrySetWorkspace(_workspace.Pointer, WorkspaceBytes); // false: an old cuBLAS keeps its default pool
        var t = c.DType;
        _a = new GemmInputs(SeedA, t);
        _b = new GemmInputs(SeedB, t);
        var aBytes = _a.Encode((long)c.M * c.K, t);
        var bBytes = _b.Encode((long)c.K * c.N, t);
        var cBytes = (long)c.M * c.N * t.ElementBytes;
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
        Poison();
        // One untimed GEMM per set picks cuBLAS's kernel and loads it; one timed pass over the sets then sizes the
        // repetitions to ~1 ms per sample (a single first GEMM can be inflated by lazy loading, giving too few).
        for (var s = 0; s < _sets.Count; s++) Gemm(s);
        _timer.Start();
        for (var s = 0; s < _sets.Count; s++) Gemm(s);
        var once = _timer.Stop() / _sets.Count;
        _reps = (int)Math.Clamp(Math.Ceiling(1e-3 / Math.Max(once, 1e-7)), 1, 200);
        Poison();
    }

    private void Poison()
    {
        // 0xFFFFFFFF is NaN as fp32 and as two bf16/fp16 halves: an unwritten output can never pass.
        foreach (var (_, _, dc) in _sets) CudaCopy.Fill32Async(dc, 0xFFFFFFFFu, _stream!);
        _stream!.Synchronize();
        _rotation.Poisoned();
    }

    /// <summary>Row-major C[M,N] = A[M,K] B[K,N] is column-major C^T = B^T A^T: cuBLAS m=N, n=M, k=K with B first.</summary>
    private void Gemm(int set)
    {
        var (a, b, cc) = _sets[set];
        var t = c.DType;
        _blas!.GemmEx(CublasConst.OpN, CublasConst.OpN, c.N, c.M, c.K, 1f, b.Pointer, t.Storage, c.N, a.Pointer, t.Storage, c.K,
            0f, cc.Pointer, t.Storage, c.N, t.Compute);
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
        var samples = GemmReference.Samples(c.M, c.N, 60, 7);
        long wrong = 0;
        double maxRel = 0;
        var written = _rotation.Written;
        if (written.Count == 0) return Verification.Failed(0, 1, double.PositiveInfinity, "no GEMM ran since C was poisoned");
        foreach (var set in written)
        {
            var dc = _sets[set].C;
            var host = new byte[dc.Bytes];
            CudaCopy.DeviceToHost<byte>(host, dc);
            foreach (var (row, col) in samples)
            {
                var idx = (long)row * c.N + col;
                var got = t.ElementBytes == 2
                    ? t.Name == "bf16" ? BFloat16.ToFloat(BitConverter.ToUInt16(host, (int)(idx * 2))) : (float)BitConverter.ToHalf(host, (int)(idx * 2))
                    : BitConverter.ToSingle(host, (int)(idx * 4));
                var (reference, absSum) = GemmReference.Element(_a!, _b!, c.K, c.N, row, col);
                if (!GemmReference.WithinTolerance(t, got, reference, absSum)) wrong++;
                if (double.IsFinite(got)) maxRel = Math.Max(maxRel, Math.Abs(got - reference) / Math.Max(absSum, 1e-30));
                else maxRel = double.PositiveInfinity;
            }
        }
        var checkedCount = (long)samples.Count * written.Count;
        var (o, acc) = GemmReference.Tolerance(t);
        var method = $"{samples.Count} sampled outputs in each of {written.Count}/{_sets.Count} operand sets computed since poisoning vs float64 CPU reference; |err| <= {o:g3}*|ref| + {acc:g3}*sum|a*b|; max error relative to sum|a*b|";
        return wrong == 0 ? Verification.Ok(checkedCount, maxRel, method) : Verification.Failed(checkedCount, wrong, maxRel, method);
    }

    public void Dispose()
    {
        _blas?.Dispose();
        _workspace?.Dispose();
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
