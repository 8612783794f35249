using Micro.Core.Results;

namespace Micro.Suites.Memory;

/// <summary>Checks every element of a, b, c (and the reduction of Dot/Read) against StreamReference.</summary>
public static class StreamVerifier
{
    private const int Chunk = 1 << 20;

    public static Verification Verify(IStreamArrays arrays, StreamKernel kernel, int runs, StreamValues start)
    {
        var t = arrays.DType;
        var n = arrays.Elements;
        var expected = StreamReference.After(kernel, runs, n, t, start);
        var tol = StreamReference.ElementTolerance(t);
        long wrong = 0, checkedCount = 0;
        double maxErr = 0;
        var buffer = new double[(int)Math.Min(Chunk, n)];
        foreach (var (array, want) in new[] { (StreamArray.A, expected.A), (StreamArray.B, expected.B), (StreamArray.C, expected.C) })
        {
            for (long offset = 0; offset < n; offset += buffer.Length)
            {
                var span = buffer.AsSpan(0, (int)Math.Min(buffer.Length, n - offset));
                arrays.CopyOut(array, offset, span);
                foreach (var x in span)
                {
                    var err = Math.Abs(x - want) / Math.Abs(want);
                    if (!(err <= tol)) wrong++; // NaN counts as wrong
                    if (err > maxErr || double.IsNaN(err)) maxErr = double.IsNaN(err) ? double.PositiveInfinity : err;
                }
                checkedCount += span.Length;
            }
        }
        var method = $"every element vs scalar replay of {runs} run(s), rel tol {tol:G2}";
        if (expected.Sum is { } sum)
        {
            checkedCount++;
            var err = Math.Abs(arrays.LastSum - sum) / Math.Abs(sum);
            if (!(err <= StreamReference.SumTolerance(t))) wrong++;
            maxErr = Math.Max(maxErr, double.IsNaN(err) ? double.PositiveInfinity : err);
            method += $"; sum vs closed form N*value, rel tol {StreamReference.SumTolerance(t):G2}";
        }
        return wrong == 0 ? Verification.Ok(checkedCount, maxErr, method) : Verification.Failed(checkedCount, wrong, maxErr, method);
    }
}
