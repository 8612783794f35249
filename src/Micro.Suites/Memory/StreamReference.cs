namespace Micro.Suites.Memory;

/// <summary>Expected array values and reduction after running one kernel r times from the start values.</summary>
public sealed record StreamExpected(double A, double B, double C, double? Sum);

/// <summary>
/// BabelStream's verification method: replay the kernel sequence on three scalars in the arrays' precision,
/// and compare every element with them; reductions are compared with the closed form N x value.
/// </summary>
public static class StreamReference
{
    public static StreamExpected After(StreamKernel kernel, int runs, long elements, StreamDType t, StreamValues v)
    {
        double a = t.Round(v.A), b = t.Round(v.B), c = t.Round(v.C), s = t.Round(v.Scalar);
        double? sum = null;
        for (var i = 0; i < runs; i++)
        {
            switch (kernel)
            {
                case StreamKernel.Copy: c = a; break;
                case StreamKernel.Mul: b = t.Round(s * c); break;
                case StreamKernel.Add: c = t.Round(a + b); break;
                case StreamKernel.Triad: a = t.Round(b + t.Round(s * c)); break;
                case StreamKernel.Nstream: a = t.Round(a + t.Round(b + t.Round(s * c))); break;
                case StreamKernel.Write: c = s; break;
                case StreamKernel.Dot: sum = t.Round(a * b) * elements; break;
                case StreamKernel.Read: sum = a * elements; break;
                default: throw new ArgumentOutOfRangeException(nameof(kernel), kernel, null);
            }
        }
        return new StreamExpected(a, b, c, sum);
    }

    /// <summary>Relative tolerance per element: BabelStream's 100 x epsilon of the type.</summary>
    public static double ElementTolerance(StreamDType t) => 100 * t.Epsilon();

    /// <summary>Relative tolerance of a reduction (partial sums in T on devices: looser for float).</summary>
    public static double SumTolerance(StreamDType t) => t == StreamDType.Float ? 1e-4 : 1e-8;
}
