namespace Micro.Suites.Memory;

public enum StreamDType { Float, Double }

public static class StreamDTypes
{
    public static readonly IReadOnlyList<StreamDType> All = [StreamDType.Float, StreamDType.Double];

    public static int Size(this StreamDType t) => t == StreamDType.Float ? 4 : 8;
    public static string Id(this StreamDType t) => t == StreamDType.Float ? "float" : "double";

    /// <summary>Machine epsilon of the type, for BabelStream's tolerance (100 x epsilon).</summary>
    public static double Epsilon(this StreamDType t) => t == StreamDType.Float ? 1.1920928955078125e-7 : 2.220446049250313e-16;

    /// <summary>Rounds a double to what the type holds, so scalar simulation matches the kernels' precision.</summary>
    public static double Round(this StreamDType t, double x) => t == StreamDType.Float ? (float)x : x;

    public static StreamDType? Find(string name) => name.Trim().ToLowerInvariant() switch
    {
        "float" or "fp32" or "f32" or "single" => StreamDType.Float,
        "double" or "fp64" or "f64" => StreamDType.Double,
        _ => null,
    };
}
