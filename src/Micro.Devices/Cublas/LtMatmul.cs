namespace Micro.Devices.Cublas;

/// <summary>
/// One <see cref="LtGemmProblem"/> bound to cuBLASLt descriptors: fp32 compute and scale type (CUBLAS_COMPUTE_32F,
/// CUDA_R_32F), C = D in the output type with beta 0, per-tensor fp8 scales as device pointers. Asks the heuristic for
/// its top candidates and runs any one of them on a stream with a caller-owned workspace.
/// </summary>
public sealed unsafe class LtMatmul : IDisposable
{
    private readonly CublasLtHandle _handle;
    private readonly LtMatmulDesc _desc;
    private readonly LtMatrixLayout _a, _b, _d;
    public LtGemmProblem Problem { get; }

    public LtMatmul(CublasLtHandle handle, LtGemmProblem problem, ulong scaleA = 0, ulong scaleB = 0)
    {
        _handle = handle;
        Problem = problem;
        var attributes = problem.DescriptorAttributes(scaleA, scaleB); // validates before any library call
        _desc = LtMatmulDesc.Create(CublasComputeType.Compute32F, CudaDataType.R32F);
        foreach (var (attribute, value) in attributes) _desc.Set(attribute, value);
        _a = LtMatrixLayout.Create(problem.LayoutA);
        _b = LtMatrixLayout.Create(problem.LayoutB);
        _d = LtMatrixLayout.Create(problem.LayoutD);
    }

    /// <summary>Up to <paramref name="top"/> candidates in the heuristic's order that fit <paramref name="workspaceBytes"/>.</summary>
    public IReadOnlyList<LtAlgorithm> Heuristic(int top, long workspaceBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        using var pref = LtPreference.Create(workspaceBytes);
        var results = new LtHeuristicResult[top];
        int returned;
        fixed (LtHeuristicResult* r = results)
            CublasLtHandle.Check(CublasLtApi.cublasLtMatmulAlgoGetHeuristic(_handle.Raw, _desc.Raw, _a.Raw, _b.Raw, _d.Raw, _d.Raw,
                pref.Raw, top, r, &returned), $"cublasLtMatmulAlgoGetHeuristic({Problem})");
        var list = new List<LtAlgorithm>();
        for (var i = 0; i < returned; i++)
        {
            if (results[i].State != CublasStatus.Success) continue;
            var algo = results[i].Algo;
            list.Add(new LtAlgorithm(algo, i, (long)results[i].WorkspaceSize, results[i].WavesCount, ReadConfig(&algo)));
        }
        if (list.Count == 0) throw new CublasException($"cublasLtMatmulAlgoGetHeuristic({Problem})", CublasStatus.NotSupported, "no usable algorithm returned");
        return list;
    }

    private static LtAlgoConfig ReadConfig(LtMatmulAlgo* algo)
    {
        int? Read(int attribute)
        {
            // Some attributes are uint32, some uint16 (cluster shape, inner shape); an 8-byte zeroed buffer reads both.
            ulong v = 0;
            nuint written;
            return CublasLtApi.cublasLtMatmulAlgoConfigGetAttribute(algo, attribute, &v, sizeof(ulong), &written) == CublasStatus.Success
                ? (int)(v & 0xFFFFFFFF) : null;
        }
        return new LtAlgoConfig(Read(LtConst.AlgoId), Read(LtConst.AlgoTileId), Read(LtConst.AlgoSplitK), Read(LtConst.AlgoReductionScheme),
            Read(LtConst.AlgoCtaSwizzling), Read(LtConst.AlgoCustomOption), Read(LtConst.AlgoStagesId), Read(LtConst.AlgoInnerShapeId),
            Read(LtConst.AlgoClusterShapeId));
    }

    /// <summary>D = A x W^T (row-major terms) with <paramref name="algorithm"/>, enqueued on <paramref name="stream"/>.</summary>
    public void Run(LtAlgorithm algorithm, ulong a, ulong w, ulong d, ulong workspace, long workspaceBytes, IntPtr stream)
    {
        float alpha = 1f, beta = 0f;
        var algo = algorithm.Algo;
        CublasLtHandle.Check(CublasLtApi.cublasLtMatmul(_handle.Raw, _desc.Raw, &alpha, w, _a.Raw, a, _b.Raw, &beta, d, _d.Raw, d, _d.Raw,
            &algo, workspace, (nuint)workspaceBytes, stream), $"cublasLtMatmul({Problem}, {algorithm.Config.Describe()})");
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _d.Dispose();
        _desc.Dispose();
    }
}
