using Micro.EndToEnd.Analysis;
using Micro.Reports.Writers;

namespace Micro.Reports.Analysis;

/// <summary>The analysis report's tables as rows of already-formatted cells; Markdown, HTML and the console render the same content.</summary>
public static class AnalysisTables
{
    /// <summary>Bounds the per-bucket and discrepancy tables (each point adds a few rows).</summary>
    public const int MaxDetailRows = 2000;

    public static Table Points(AnalysisView v) => new(
        ["concurrency", "req/s", "output tok/s", "tok/s per GPU", "tok/s per user", "p99 TTFT ms", "p99 TPOT ms", "p99 ITL ms",
         "meets SLO", "goodput req/s", "SoL tok/s", "%SoL", "$/request", "$/good request", "$/1M output tok", "$/1M total tok"],
        v.Shown.Select(i => (i, p: v.Result.Points[i])).Select(x => (IReadOnlyList<string>)
        [
            Fmt.Conc(x.p.Concurrency) + Mark(v.Result, x.i), Fmt.N(x.p.RequestThroughput, 2), Fmt.N(x.p.OutputThroughput), Fmt.N(x.p.OutputThroughputPerGpu),
            Fmt.N(x.p.PerUserTokensPerSecond, 1), Fmt.N(x.p.Latency("p99", "ttft"), 1), Fmt.N(x.p.Latency("p99", "tpot"), 2), Fmt.N(x.p.Latency("p99", "itl"), 2),
            x.p.MeetsSlo switch { true => "yes", false => "no", null => "n/a" }, Fmt.N(x.p.GoodputRps, 2),
            Fmt.N(x.p.SolOutputThroughput), Fmt.Pct(x.p.SolFraction) + (x.p.AboveSol ? " (above speed of light)" : ""), Fmt.Usd(x.p.CostPerRequest), Fmt.Usd(x.p.CostPerGoodRequest),
            Fmt.Usd(x.p.CostPer1MOutputTokens), Fmt.Usd(x.p.CostPer1MTotalTokens),
        ]).ToList(),
        "(T) throughput-optimal, (OP) operating point. Latencies: " + string.Join("; ", v.Points.Select(p => p.LatencySource).Distinct()) + ".");

    private static string Mark(AnalysisResult r, int i) =>
        (r.ThroughputOptimal.Index == i ? " (T)" : "") + (r.OperatingPoint?.Index == i ? " (OP)" : "");

    public static Table? Monthly(AnalysisResult r)
    {
        if (r.ThroughputOptimal.Monthly is null) return null;
        var rows = new List<IReadOnlyList<string>>();
        void Add(string label, ChosenPoint c)
        {
            var m = c.Monthly!;
            rows.Add([label, Fmt.Conc(c.Concurrency), Fmt.N(m.CapacityRps, 2), Fmt.N(m.PeakLoadRps, 2), m.Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Fmt.Usd(c.CostPerRequest), Fmt.Usd(m.UnitMonthlyCost), Fmt.Usd(m.ProvisionedMonthlyCost), Fmt.Usd(m.MonthlyCostDelta), Fmt.Pct(m.Margin)]);
        }
        Add("throughput-optimal", r.ThroughputOptimal);
        if (r.OperatingPoint is { } op) Add("operating point (cheapest meeting every SLO)", op);
        if (r.InterpolatedOperatingPoint is { Monthly: not null } ip) Add("interpolated operating point (estimate)", ip);
        return new Table(["point", "concurrency", "capacity req/s", "peak load req/s", "replicas", "$/request",
            "unit monthly", "provisioned monthly", "idle (delta)", "margin"], rows);
    }

    public static Table Discrepancies(AnalysisView v) => Bounded(new Table(["point", "field", "stated", "recomputed", "difference"],
        v.Points.SelectMany(p => p.Discrepancies.Select(d => (IReadOnlyList<string>)
            [Fmt.Conc(p.Concurrency), d.Field, Fmt.N(d.Stated, 4), Fmt.N(d.Recomputed, 4), Fmt.Pct(d.RelativeDifference, 2)])).Take(MaxDetailRows + 1).ToList()));

    public static Table Buckets(AnalysisView v) => Bounded(new Table(
        ["point", "input tokens", "output tokens", "requests", "mean TTFT ms", "p99 TTFT ms", "mean TPOT ms", "p99 TPOT ms", "mean E2EL ms"],
        v.Points.SelectMany(p => p.LengthBuckets.Select(b => (IReadOnlyList<string>)
            [Fmt.Conc(p.Concurrency), $"{b.InputFrom}-{b.InputTo}", $"{b.OutputFrom}-{b.OutputTo}", Fmt.N(b.Count),
             Fmt.N(b.MeanTtftMs, 1), Fmt.N(b.P99TtftMs, 1), Fmt.N(b.MeanTpotMs, 2), Fmt.N(b.P99TpotMs, 2), Fmt.N(b.MeanE2elMs, 1)])).Take(MaxDetailRows + 1).ToList()));

    private static Table Bounded(Table t) => t.Rows.Count <= MaxDetailRows ? t
        : t with { Rows = t.Rows.Take(MaxDetailRows).ToList(), Note = $"First {MaxDetailRows:N0} rows; analysis.json holds them all." };
}
