using Micro.Core.Models;
using Micro.Core.Results.Points;

namespace Micro.EndToEnd.Prediction.StepParts;

/// <summary>
/// How close each linear layer's GEMM comes to its roofline at M rows: measured (the exact per-GPU shape, interpolated
/// over M), else a measured near shape, else the roofline itself (1.0); each layer tags where its figure came from.
/// Cached per M and shared by every parameter set (it does not depend on them).
/// </summary>
internal sealed class GemmEfficiency(IReadOnlyList<LinearLayer> groups, DeviceProfile device)
{
    private readonly double[][] _byM = new double[groups.Count][];
    private readonly string[] _sources = Enumerable.Repeat("roofline (no measured GEMM of a near shape)", groups.Count).ToArray();

    public string Source(int g) => _sources[g];

    /// <summary>Roofline seconds of one GEMM at the profile's ceilings (no calibration factors): max(bytes / BW, flops / rate).</summary>
    private double Roofline(double m, double n, double k, double bytesPerParam) =>
        Math.Max(n * k * bytesPerParam / (device.Hardware.BandwidthGBps * 1e9), 2 * m * n * k / (device.Hardware.GemmTflops * 1e12));

    /// <summary>
    /// Measured efficiency (roofline / measured time) of group <paramref name="g"/> at M = <paramref name="m"/>: from the
    /// points of its exact per-GPU shape (same N and K) interpolated over M on a log scale between the two nearest measured
    /// M (the nearest one outside their range), else from the nearest measured shape (N and K within 2x; not for experts), else 1.
    /// </summary>
    public double At(int g, int m)
    {
        var row = _byM[g] ??= new double[1 << 14];
        if (m < row.Length && row[m] > 0) return row[m];
        // Experts take only their own measured shape (`micro gemm --model`): a dense layer's shape says little about them.
        var e = ExactShape(g, m) ?? (groups[g].Role == LinearRole.Expert ? null : NearShape(g, m)) ?? 1.0;
        if (m < row.Length) row[m] = e;
        return e;
    }

    private double? ExactShape(int g, int m)
    {
        var grp = groups[g];
        // One point per M (the fastest where a shape was measured more than once: the library's best for it).
        var points = device.Gemm.Where(p => p.Dtype == GemmDtype.Bf16 && p.N == grp.N && p.K == grp.K).GroupBy(p => p.M)
            .Select(s => s.MinBy(p => p.Seconds)!).OrderBy(p => p.M).ToList();
        if (points.Count == 0) return null;
        var target = Math.Max(1, m);
        var lo = points.LastOrDefault(p => p.M <= target);
        var hi = points.FirstOrDefault(p => p.M >= target);
        double e;
        if (lo is null || hi is null || lo.M == hi.M)
        {
            var p = lo ?? hi!;
            e = Math.Clamp(Roofline(p.M, p.N, p.K, 2) / p.Seconds, 0.05, 1.0);
            _sources[g] = p.M == target
                ? $"measured {p.Case} at M={p.M}, this exact shape (efficiency {e:0.00} of the roofline)"
                : $"measured {p.Case} at M={p.M}, this exact shape, the nearest measured M to {target} (efficiency {e:0.00} of the roofline)";
            return e;
        }
        var f = Math.Log((double)target / lo.M) / Math.Log((double)hi.M / lo.M);
        var seconds = Math.Exp(Math.Log(lo.Seconds) + f * (Math.Log(hi.Seconds) - Math.Log(lo.Seconds)));
        e = Math.Clamp(Roofline(target, grp.N, grp.K, 2) / seconds, 0.05, 1.0);
        _sources[g] = $"measured {lo.Case} at M={lo.M} and {hi.Case} at M={hi.M}; interpolated at M={target} (log scale, efficiency {e:0.00} of the roofline)";
        return e;
    }

    private double? NearShape(int g, int m)
    {
        var grp = groups[g];
        GemmPoint? best = null;
        var bestD = double.MaxValue;
        foreach (var p in device.Gemm)
        {
            if (p.Dtype != GemmDtype.Bf16) continue;
            // Near = N and K within 2x of this layer's (per-GPU) shape; M as near as measured.
            var dn = Math.Abs(Math.Log((double)p.N / grp.N));
            var dk = Math.Abs(Math.Log((double)p.K / grp.K));
            if (dn > Math.Log(2) || dk > Math.Log(2)) continue;
            var d = dn + dk + Math.Abs(Math.Log((double)p.M / Math.Max(1, m)));
            if (d < bestD) { bestD = d; best = p; }
        }
        if (best is null) return null;
        var e = Math.Clamp(Roofline(best.M, best.N, best.K, 2) / best.Seconds, 0.05, 1.0);
        _sources[g] = $"measured GEMM point {best.Case} nearest shape (efficiency {e:0.00} of the roofline)";
        return e;
    }
}
