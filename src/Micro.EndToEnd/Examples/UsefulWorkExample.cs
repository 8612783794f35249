using Micro.EndToEnd.Analysis;

namespace Micro.EndToEnd.Examples;

/// <summary>
/// Worked example 2 (cost per useful work): steady/burst traffic x naive/optimized serving, 512 prompt / 128 output
/// tokens. The source states successful/dropped counts, p95 and $ per 1K successful requests; the spend of each run is
/// implied (cost per 1K x successful / 1000). It states no SLO: p95 &lt;= 2 s is assumed and labelled so.
/// </summary>
public static class UsefulWorkExample
{
    public sealed record Run(string Traffic, string Serving, int Successful, int Dropped, double P95Seconds, double CostPer1kSuccessful)
    {
        public int Offered => Successful + Dropped;
        public double DropRate => (double)Dropped / Offered;
        public double ImpliedSpend => CostPer1kSuccessful * Successful / 1000;
        public double CostPer1kOffered => ImpliedSpend / (Offered / 1000.0);
        public bool MeetsSlo => P95Seconds <= AssumedSloP95Seconds;
    }

    public const double AssumedSloP95Seconds = 2;
    public const int PromptTokens = 512, OutputTokens = 128;

    public static readonly IReadOnlyList<Run> Runs =
    [
        new("steady", "naive", 413, 2227, 60.31, 0.137976),
        new("steady", "optimized", 2670, 0, 1.61, 0.019752),
        new("burst", "naive", 227, 2882, 120, 0.164137),
        new("burst", "optimized", 2570, 677, 10.91, 0.012768),
    ];

    public static void Render(TextWriter w)
    {
        w.WriteLine("Example 2: cost per useful work (steady/burst traffic x naive/optimized serving)");
        w.WriteLine($"  Assumptions: {PromptTokens} prompt / {OutputTokens} output tokens per request; spend of each run implied as $ per 1K successful x successful / 1000;");
        w.WriteLine($"  the source states no SLO, so p95 <= {AssumedSloP95Seconds} s is ASSUMED here; dropped requests are not useful work.");
        w.WriteLine($"  {"traffic",-8} {"serving",-10} {"ok",6} {"dropped",8} {"drop rate",10} {"p95 s",8} {"spend",9} {"$/1K ok",10} {"$/1K offered",13} SLO (assumed p95<=2s)");
        foreach (var r in Runs)
            w.WriteLine($"  {r.Traffic,-8} {r.Serving,-10} {r.Successful,6} {r.Dropped,8} {Fmt.Pct(r.DropRate),10} {Fmt.N(r.P95Seconds, 2),8} {Fmt.Usd(r.ImpliedSpend),9} " +
                        $"{"$" + r.CostPer1kSuccessful.ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture),10} {Fmt.Usd(r.CostPer1kOffered),13} {(r.MeetsSlo ? "meets" : "misses")}");
        var steadyNaive = Runs[0];
        var steadyOpt = Runs[1];
        w.WriteLine($"  Per 1K successful requests the optimized steady run is {Fmt.N(steadyNaive.CostPer1kSuccessful / steadyOpt.CostPer1kSuccessful, 1)}x cheaper than naive; " +
                    "per 1K offered the naive runs look cheap only because they spend little while dropping most requests.");
        w.WriteLine("  Only steady/optimized meets the assumed SLO; burst/optimized completes 79% of requests but its p95 of 10.91 s misses it.");
    }
}
