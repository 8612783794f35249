using System.Globalization;
using Micro.Core.Results;

namespace Micro.Suites.Memory;

/// <summary>ILGPU / native bandwidth per kernel, at the largest size both backends measured on one device (issue 4's 95% bar).</summary>
public static class BackendComparison
{
    public const double Target = 0.95;

    public static IReadOnlyList<string> Lines(IEnumerable<MeasurementRecord> records, string slow = "ilgpu", string fast = "native")
    {
        var lines = new List<string>();
        var usable = records.Where(r => r.Suite == MemorySuite.SuiteName && r.Bandwidth is not null && r.Verification.Passed).ToList();
        foreach (var g in usable.GroupBy(r => (r.Device, r.DType, r.Case)))
        {
            var bySize = g.GroupBy(r => r.Bytes).OrderByDescending(s => s.Key);
            foreach (var size in bySize)
            {
                var s = size.FirstOrDefault(r => r.Backend == slow);
                var f = size.FirstOrDefault(r => r.Backend == fast);
                if (s is null || f is null) continue;
                var ratio = s.Bandwidth!.Median / f.Bandwidth!.Median;
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{slow}/{fast} {g.Key.Case} {g.Key.DType} ({g.Key.Device}, {Core.Units.FormatBytes(size.Key)} moved): {s.Bandwidth.Median:0.0} / {f.Bandwidth.Median:0.0} GB/s = {ratio:0.000}{(ratio >= Target ? "" : $" (below {Target:0.00})")}"));
                break;
            }
        }
        return lines;
    }
}
