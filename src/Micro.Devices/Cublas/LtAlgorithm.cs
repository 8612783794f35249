using System.Globalization;

namespace Micro.Devices.Cublas;

/// <summary>
/// One candidate of cublasLtMatmulAlgoGetHeuristic: the opaque algo plus what cuBLASLt says of it (its configuration
/// attributes, the workspace it needs, its estimated waves), so the one that won the timing can be recorded.
/// </summary>
public sealed record LtAlgorithm(LtMatmulAlgo Algo, int HeuristicRank, long WorkspaceBytes, float Waves, LtAlgoConfig Config)
{
    public string Describe() =>
        $"rank={HeuristicRank};{Config.Describe()};workspace={WorkspaceBytes};waves={Waves.ToString("0.##", CultureInfo.InvariantCulture)}";
}

/// <summary>cublasLtMatmulAlgoConfigAttributes_t values of one algo (null where this cuBLASLt does not report one).</summary>
public sealed record LtAlgoConfig(int? Id, int? Tile, int? SplitK, int? Reduction, int? Swizzle, int? Custom, int? Stages, int? InnerShape, int? ClusterShape)
{
    public string Describe()
    {
        static string F(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "n/a";
        return $"algo={F(Id)};tile={F(Tile)};stages={F(Stages)};splitk={F(SplitK)};reduction={F(Reduction)};swizzle={F(Swizzle)};" +
               $"custom={F(Custom)};inner={F(InnerShape)};cluster={F(ClusterShape)}";
    }
}
