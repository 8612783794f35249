namespace Micro.Core.Results.Points;

/// <summary>What JSON's types cannot say about a typed point read from an untrusted file: text fields present, sizes not negative.</summary>
public static class PointValidation
{
    /// <summary>(field, reason) of the first problem, or null when the point is usable.</summary>
    public static (string Field, string Reason)? Problem(IPointParameters? point) => point switch
    {
        GemmParameters g when g.Shape is null => ("gemm.shape", "null"),
        GemmParameters g when g.M <= 0 || g.N <= 0 || g.K <= 0 => ("gemm", "m, n and k must be positive"),
        AttentionParameters a when a.Model is null => ("attention.model", "null"),
        AttentionParameters a when a.Batch < 0 || a.Length < 0 => ("attention", "batch and length must not be negative"),
        CollectiveParameters c when c.Op is null => ("collective.op", "null"),
        CollectiveParameters c when c.SizeBytes < 0 => ("collective.size_bytes", "negative"),
        LaunchParameters l when l.Kernel is null => ("launch.kernel", "null"),
        CopyParameters c when c.Memory is null || c.Engine is null => ("copy", "memory and engine are required"),
        CopyParameters c when c.SizeBytes < 0 => ("copy.size_bytes", "negative"),
        StreamParameters s when s.Kernel is null => ("stream.kernel", "null"),
        StreamParameters s when s.Elements < 0 => ("stream.elements", "negative"),
        _ => null,
    };
}
