using System.Globalization;

namespace Micro.Suites.Collectives;

/// <summary>nccl-tests' table layout (src/util.cu: header, row preamble/body, footer), reproduced column for column.</summary>
public static class NcclTestsFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>As nccl-tests' getFloatStr: the most decimals (2, 1, 0) that fit the width, else exponent form.</summary>
    public static string Float(double value, int width)
    {
        foreach (var fmt in new[] { "F2", "F1", "F0" })
        {
            var s = value.ToString(fmt, Inv);
            if (s.Length <= width) return s.PadLeft(width);
        }
        return CExp(value, width >= 7 ? 1 : 0).PadLeft(width);
    }

    /// <summary>C's %g: 6 significant digits, trailing zeros removed, exponent form outside [1e-4, 1e6).</summary>
    public static string G(double v)
    {
        if (v == 0) return "0";
        var exp = (int)Math.Floor(Math.Log10(Math.Abs(v)));
        if (exp < -4 || exp >= 6)
        {
            var s = CExp(v, 5);
            var parts = s.Split('e');
            return parts[0].Contains('.') ? parts[0].TrimEnd('0').TrimEnd('.') + "e" + parts[1] : s;
        }
        var decimals = Math.Max(0, 5 - exp);
        var f = Math.Round(v, decimals).ToString("F" + decimals, Inv);
        return f.Contains('.') ? f.TrimEnd('0').TrimEnd('.') : f;
    }

    private static string CExp(double v, int decimals)
    {
        var s = v.ToString((decimals > 0 ? "0." + new string('0', decimals) : "0") + "e+00", Inv);
        return s;
    }

    public static IEnumerable<string> Header()
    {
        yield return "#";
        yield return string.Format(Inv, "# {0,10}  {1,12}  {2,8}  {3,6}  {4,6}           out-of-place                       in-place          ", "", "", "", "", "");
        yield return string.Format(Inv, "# {0,10}  {1,12}  {2,8}  {3,6}  {4,6}  {5,7}  {6,6}  {7,6}  {8,6}  {9,7}  {10,6}  {11,6}  {12,6} ",
            "size", "count", "type", "redop", "root", "time", "algbw", "busbw", "#wrong", "time", "algbw", "busbw", "#wrong");
        yield return string.Format(Inv, "# {0,10}  {1,12}  {2,8}  {3,6}  {4,6}  {5,7}  {6,6}  {7,6}  {8,6}  {9,7}  {10,6}  {11,6}  {12,6} ",
            "(B)", "(elements)", "", "", "", "(us)", "(GB/s)", "(GB/s)", "", "(us)", "(GB/s)", "(GB/s)", "");
    }

    public static string Preamble(long sizeBytes, long count, string type, string redop, int root) =>
        string.Format(Inv, "{0,12}  {1,12}  {2,8}  {3,6}  {4,6}", sizeBytes, count, type, redop, root);

    /// <param name="wrong">null prints N/A (nothing was checked).</param>
    public static string Body(double timeUs, double algBw, double busBw, long? wrong) =>
        wrong is null
            ? $"  {Float(timeUs, 7)}  {Float(algBw, 6)}  {Float(busBw, 6)}    N/A"
            : $"  {Float(timeUs, 7)}  {Float(algBw, 6)}  {Float(busBw, 6)}  {G(wrong.Value),6}";

    public static IEnumerable<string> Footer(long outOfBounds, double avgBusBw)
    {
        yield return string.Format(Inv, "# {0,-20} : {1} {2}", "Out of bounds values", outOfBounds, outOfBounds > 0 ? "FAILED" : "OK");
        yield return string.Format(Inv, "# {0,-20} : {1} ", "Avg bus bandwidth", G(avgBusBw));
        yield return "#";
    }
}
