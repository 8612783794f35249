using Micro.Core.Results;

namespace Micro.Suites.Attention;

/// <summary>
/// Checks an attention output that was poisoned with NaN before the run: every element must be finite (so every
/// element was written), and each checked row must be within a relative-norm bound of the double reference:
/// ||o - ref||_2 / ||ref||_2 &lt;= tolerance. All rows are checked up to maxRows; beyond that a seeded sample.
/// </summary>
public static class OutputCheck
{
    public static Verification Run(Func<long, double> output, long rows, int width, double tolerance,
        Func<long, double[]> referenceRow, int maxRows, ulong seed, string what)
    {
        long wrong = 0;
        for (long i = 0; i < rows * width; i++)
            if (!double.IsFinite(output(i))) wrong++;
        var selected = SelectRows(rows, maxRows, seed);
        double worst = 0;
        var checkedElements = 0L;
        var lockObj = new object();
        Parallel.ForEach(selected, row =>
        {
            var r = referenceRow(row);
            double num = 0, den = 0;
            for (var i = 0; i < width; i++)
            {
                var diff = output(row * width + i) - r[i];
                num += diff * diff;
                den += r[i] * r[i];
            }
            var rel = Math.Sqrt(num) / Math.Max(Math.Sqrt(den), 1e-30);
            lock (lockObj)
            {
                checkedElements += width;
                if (!(rel <= tolerance)) wrong += width;
                if (!(rel <= worst)) worst = double.IsNaN(rel) ? double.PositiveInfinity : Math.Max(worst, rel);
            }
        });
        var sampled = selected.Count < rows ? $"{selected.Count} sampled rows of {rows}" : $"all {rows} rows";
        var method = $"{what}: all {rows * width} elements finite after NaN poison; {sampled} vs double reference, relative L2 per row <= {tolerance:G2}";
        return wrong == 0 ? Verification.Ok(checkedElements, worst, method) : Verification.Failed(checkedElements, wrong, worst, method);
    }

    public static IReadOnlyList<long> SelectRows(long rows, int maxRows, ulong seed)
    {
        if (rows <= maxRows) return Enumerable.Range(0, (int)rows).Select(i => (long)i).ToArray();
        var rng = new Random((int)(seed & 0x7FFFFFFF));
        var set = new SortedSet<long> { 0, rows - 1 };
        while (set.Count < maxRows) set.Add(rng.NextInt64(rows));
        return set.ToArray();
    }
}
