namespace Micro.Suites.Memory;

/// <summary>
/// Start values and scalar (BabelStream's 0.1, 0.2 and 0.4; c starts at 0.3 rather than 0, so no kernel,
/// run on its own, ever reads zeros).
/// </summary>
public sealed record StreamValues(double A, double B, double C, double Scalar)
{
    public static readonly StreamValues Default = new(0.1, 0.2, 0.3, 0.4);
}
