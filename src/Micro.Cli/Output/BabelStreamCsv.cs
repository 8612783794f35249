using System.Globalization;
using Micro.Core.Results;

namespace Micro.Cli.Output;

/// <summary>
/// `micro memory --csv` without --out: BabelStream's own --csv lines on stdout
/// (function,num_times,n_elements,sizeof,max_mbytes_per_sec,min_runtime,max_runtime,avg_runtime), so scripts written for
/// BabelStream read them and `micro memory import` reads them back. One block per backend and device, blocks apart by a blank line.
/// max_mbytes_per_sec is BabelStream's figure: bytes moved / the minimum time, in 1e6 B/s.
/// </summary>
public static class BabelStreamCsv
{
    public const string Header = "function,num_times,n_elements,sizeof,max_mbytes_per_sec,min_runtime,max_runtime,avg_runtime";

    public static void Write(TextWriter w, IReadOnlyList<MeasurementRecord> records)
    {
        var ci = CultureInfo.InvariantCulture;
        var first = true;
        foreach (var block in records.Where(r => r.Suite == "memory").GroupBy(r => (r.Backend, r.Device)))
        {
            if (!first) w.WriteLine();
            first = false;
            w.WriteLine(Header);
            foreach (var r in block)
            {
                var elements = (r.Stream?.Elements ?? 0).ToString(ci);
                var size = r.DType == "double" ? 8 : r.DType is "half" or "bf16" ? 2 : 4;
                var mbps = r.Time.Min > 0 ? r.Bytes / r.Time.Min * 1e-6 : 0;
                w.WriteLine(string.Join(",", Function(r.Case), r.Time.Count.ToString(ci), elements, size.ToString(ci), mbps.ToString("0.###", ci),
                    r.Time.Min.ToString("0.#########", ci), r.Time.Max.ToString("0.#########", ci), r.Time.Mean.ToString("0.#########", ci)));
            }
        }
    }

    /// <summary>BabelStream's spelling of a kernel: Copy, Mul, Add, Triad, Dot, Nstream (Read, Write for micro's two more).</summary>
    private static string Function(string kernel) => kernel.Length == 0 ? kernel : char.ToUpperInvariant(kernel[0]) + kernel[1..];
}
