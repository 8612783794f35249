using System.Globalization;
using Micro.Core.Text;
using Micro.EndToEnd.Analysis;
using Micro.EndToEnd.Metrics;
using Micro.Reports.Analysis;
using Spectre.Console;

namespace Micro.Cli.Output;

/// <summary>
/// `micro analyze` on the console: what was read, one fitted row per point (the figures the SLO judges as columns),
/// the diagnosis, and last the answer: the operating point and, for each SLO, the figure it was judged on.
/// Every string from files passes through ConsoleText.OneLine (FittedTable does so for cells).
/// </summary>
public static class AnalysisConsole
{
    public static void Write(IAnsiConsole console, AnalysisResult r)
    {
        var ci = CultureInfo.InvariantCulture;
        void Line(string s) => console.WriteLine(ConsoleText.OneLine(s));
        Line(r.GpuHourPrice is null
            ? string.Create(ci, $"{r.Points.Count} point(s); {r.Gpus} GPU(s); cost n/a: {r.PriceSource}")
            : string.Create(ci, $"{r.Points.Count} point(s); {r.Gpus} GPU(s) at {Fmt.Usd(r.GpuHourPrice)}/GPU-h ({r.PriceSource})"));
        if (r.SpeedOfLight is { } s)
            Line($"speed of light: {s.Hardware} ({s.HardwareLabel}), {Fmt.N(s.BandwidthGBps)} GB/s, {Fmt.N(s.GemmTflops, 1)} TFLOP/s; {s.Model}; {s.ParameterCountMode}");
        var view = AnalysisView.Of(r);
        if (view.SummaryNote is { } note) Line(note);

        var slos = r.Slos.Select(SloSpec.Parse).ToList();
        var judged = slos.Count > 0 ? slos : [new SloSpec("p99", "tpot", 0)];
        var headers = new List<string> { "concurrency", "req/s", "out tok/s", "tok/s/GPU", "tok/s/user" };
        headers.AddRange(judged.Select(Header));
        if (slos.Count > 0) headers.Add("meets SLO");
        if (r.SpeedOfLight is not null) headers.Add("%SoL");
        if (r.GpuHourPrice is not null) headers.Add("$/request");
        if (r.QualitySource is not null) headers.Add("quality");
        var rows = view.Shown.Select(i =>
        {
            var p = r.Points[i];
            var row = new List<string>
            {
                Fmt.Conc(p.Concurrency) + Mark(r, i), Fmt.N(p.RequestThroughput, 2), Fmt.N(p.OutputThroughput), Fmt.N(p.OutputThroughputPerGpu), Fmt.N(p.PerUserTokensPerSecond, 1),
            };
            row.AddRange(judged.Select(slo => Fmt.N(p.Latency(slo.Stat, slo.Metric), 2)));
            if (slos.Count > 0) row.Add(p.MeetsSlo switch { true => "yes", false => "no", null => "n/a" });
            if (r.SpeedOfLight is not null) row.Add(Fmt.Pct(p.SolFraction) + (p.AboveSol ? " (above)" : ""));
            if (r.GpuHourPrice is not null) row.Add(Fmt.Usd(p.CostPerRequest));
            if (r.QualitySource is not null) row.Add(Quality(p));
            return (IReadOnlyList<string>)row;
        });
        console.Write(FittedTable.Build(console, "points (latencies in ms; (T) throughput-optimal, (OP) operating point)", headers, rows));
        foreach (var l in r.Diagnosis) Line("- " + l);
        foreach (var l in Answer(r, slos)) Line(l);
    }

    /// <summary>The verb's answer, last: the operating point and each SLO's judged figure, or why there is none.</summary>
    public static IEnumerable<string> Answer(AnalysisResult r, IReadOnlyList<SloSpec> slos)
    {
        var t = r.ThroughputOptimal;
        if (slos.Count == 0)
        {
            yield return $"operating point: not judged (no --slo); throughput-optimal: concurrency {Fmt.Conc(t.Concurrency)}, {Fmt.N(t.OutputThroughput)} output tok/s, {Fmt.Usd(t.CostPerRequest)}/request";
            yield break;
        }
        var op = r.OperatingPoint;
        yield return op is null
            ? $"operating point: none: no point meets every SLO{(r.OperatingPointNote is { } why ? $" ({why})" : "")}"
            : $"operating point: concurrency {Fmt.Conc(op.Concurrency)}, {Fmt.N(op.OutputThroughput)} output tok/s, {Fmt.N(op.RequestThroughput, 2)} req/s, {Fmt.Usd(op.CostPerRequest)}/request";
        var at = op ?? t;
        var point = r.Points[at.Index];
        foreach (var slo in slos)
        {
            var check = point.SloChecks.FirstOrDefault(c => c.Slo == slo.Text);
            var verdict = check?.Met switch { true => "met", false => "missed", null => "not judged" + (check?.Why is { } w ? $": {w}" : "") };
            yield return $"  SLO {slo.Text}: {slo.Stat} {slo.Metric.ToUpperInvariant()} {Fmt.N(check?.ValueMs ?? point.Latency(slo.Stat, slo.Metric), 2)} ms at concurrency {Fmt.Conc(at.Concurrency)}" +
                         $"{(op is null ? " (throughput-optimal)" : "")}: {verdict}";
        }
    }

    /// <summary>A run's quality cell: its score, and whether it is on the quality vs cost frontier.</summary>
    public static string Quality(PointAnalysis p) =>
        p.Quality is { } q ? Fmt.N(q, 3) + (p.OnQualityFrontier == true ? " (frontier)" : "") : "n/a";

    private static string Header(SloSpec s) => $"{s.Stat} {s.Metric.ToUpperInvariant()}";

    private static string Mark(AnalysisResult r, int i) =>
        (r.ThroughputOptimal.Index == i ? " (T)" : "") + (r.OperatingPoint?.Index == i ? " (OP)" : "");
}
