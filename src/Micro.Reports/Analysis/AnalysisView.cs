using System.Globalization;
using Micro.EndToEnd.Analysis;

namespace Micro.Reports.Analysis;

/// <summary>
/// The points a report shows. Past <see cref="MaxPoints"/> the report (tables, per-point sections, plots, the console
/// summary) summarizes: both Pareto frontiers, the chosen points, then an even sample of the rest, and says so.
/// analysis.json and points.csv always hold every point.
/// </summary>
public sealed record AnalysisView(AnalysisResult Result, IReadOnlyList<int> Shown, string? SummaryNote)
{
    /// <summary>A real sweep has tens of points; 1,000 keeps report.html a few MB whatever the input.</summary>
    public const int MaxPoints = 1000;

    public IEnumerable<PointAnalysis> Points => Shown.Select(i => Result.Points[i]);

    public static AnalysisView Of(AnalysisResult r, int maxPoints = MaxPoints)
    {
        var n = r.Points.Count;
        if (n <= maxPoints) return new AnalysisView(r, Enumerable.Range(0, n).ToList(), null);
        var keep = new SortedSet<int>();
        void Add(int i) { if (i >= 0 && i < n && keep.Count < maxPoints) keep.Add(i); }
        Add(r.ThroughputOptimal.Index);
        if (r.OperatingPoint is { } op) Add(op.Index);
        if (r.InterpolatedOperatingPoint is { } ip) Add(ip.Index);
        foreach (var i in Even(r.Pareto.ThroughputPerGpuVsPerUser, maxPoints / 4)) Add(i);
        foreach (var i in Even(r.Pareto.LatencyVsRequestRate, maxPoints / 4)) Add(i);
        var chosen = keep.Count;
        // An even sample of all points fills the rest.
        var rest = Enumerable.Range(0, n).Where(i => !keep.Contains(i)).ToList();
        var free = maxPoints - keep.Count;
        for (var k = 0; k < free; k++) Add(rest[(int)((long)k * rest.Count / free)]);
        var c = CultureInfo.InvariantCulture;
        var note = string.Create(c, $"showing {keep.Count:N0} of {n:N0} points: the Pareto frontiers and the chosen points ({chosen:N0}) and an even sample of the rest; ")
            + "analysis.json and points.csv hold every point.";
        return new AnalysisView(r, keep.ToList(), note);
    }

    /// <summary>At most <paramref name="max"/> of the indices, evenly spaced, first and last included.</summary>
    private static IEnumerable<int> Even(IReadOnlyList<int> indices, int max)
    {
        if (indices.Count <= max) return indices;
        return Enumerable.Range(0, max).Select(k => indices[(int)((long)k * (indices.Count - 1) / Math.Max(max - 1, 1))]);
    }
}
