using Micro.EndToEnd.Analysis;

namespace Micro.EndToEnd.Reports;

/// <summary>The report's tables as rows of already-formatted cells; Markdown and HTML render the same content.</summary>
public static class ReportTables
{
    public sealed record Table(string Title, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows);

    public static Table Points(AnalysisResult r) => new("Points",
        ["concurrency", "req/s", "output tok/s", "tok/s per GPU", "tok/s per user", "p99 TTFT ms", "p99 TPOT ms", "p99 ITL ms",
         "meets SLO", "goodput req/s", "SoL tok/s", "%SoL", "$/request", "$/good request", "$/1M output tok", "$/1M total tok"],
        r.Points.Select((p, i) => (IReadOnlyList<string>)
        [
            Fmt.Conc(p.Concurrency) + Mark(r, i), Fmt.N(p.RequestThroughput, 2), Fmt.N(p.OutputThroughput), Fmt.N(p.OutputThroughputPerGpu),
            Fmt.N(p.PerUserTokensPerSecond, 1), Fmt.N(p.Latency("p99", "ttft"), 1), Fmt.N(p.Latency("p99", "tpot"), 2), Fmt.N(p.Latency("p99", "itl"), 2),
            p.MeetsSlo switch { true => "yes", false => "no", null => "n/a" }, Fmt.N(p.GoodputRps, 2),
            Fmt.N(p.SolOutputThroughput), Fmt.Pct(p.SolFraction) + (p.AboveSol ? " (above speed of light)" : ""), Fmt.Usd(p.CostPerRequest), Fmt.Usd(p.CostPerGoodRequest),
            Fmt.Usd(p.CostPer1MOutputTokens), Fmt.Usd(p.CostPer1MTotalTokens),
        ]).ToList());

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
        return new Table("Monthly cost", ["point", "concurrency", "capacity req/s", "peak load req/s", "replicas", "$/request",
            "unit monthly", "provisioned monthly", "idle (delta)", "margin"], rows);
    }

    public static Table Discrepancies(AnalysisResult r) => new("Stated figures the per-request arrays do not reproduce (> 0.1%)",
        ["point", "field", "stated", "recomputed", "difference"],
        r.Points.SelectMany(p => p.Discrepancies.Select(d => (IReadOnlyList<string>)
            [Fmt.Conc(p.Concurrency), d.Field, Fmt.N(d.Stated, 4), Fmt.N(d.Recomputed, 4), Fmt.Pct(d.RelativeDifference, 2)])).ToList());

    public static Table Buckets(AnalysisResult r) => new("Metrics by input/output length bucket",
        ["point", "input tokens", "output tokens", "requests", "mean TTFT ms", "p99 TTFT ms", "mean TPOT ms", "p99 TPOT ms", "mean E2EL ms"],
        r.Points.SelectMany(p => p.LengthBuckets.Select(b => (IReadOnlyList<string>)
            [Fmt.Conc(p.Concurrency), $"{b.InputFrom}-{b.InputTo}", $"{b.OutputFrom}-{b.OutputTo}", Fmt.N(b.Count),
             Fmt.N(b.MeanTtftMs, 1), Fmt.N(b.P99TtftMs, 1), Fmt.N(b.MeanTpotMs, 2), Fmt.N(b.P99TpotMs, 2), Fmt.N(b.MeanE2elMs, 1)])).ToList());
}
