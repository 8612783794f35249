using System.Globalization;
using Micro.Cli.Compare;
using Micro.Core.Text;
using Micro.EndToEnd.Analysis;
using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.Prediction.Json;

namespace Micro.Cli.Commands;

/// <summary>
/// `micro compare` with a prediction.json: two predictions side by side with B/A ratios, or a prediction against an analysis
/// of real runs with the error of each predicted figure. Points pair by (concurrency, request_rate), a trace replay's by its
/// trace; unpaired ones are listed.
/// </summary>
public static class ComparePredictions
{
    /// <summary>The point keys compared, as prediction.json names them (analysis.json's figures are mapped to these names).</summary>
    public static readonly string[] Keys =
        ["median_ttft_ms", "p99_ttft_ms", "median_tpot_ms", "p99_tpot_ms", "output_throughput", "cost_per_1m_output_tokens", "meets_slo", "sol_fraction"];

    /// <param name="Trace">The trace a replayed point came from (its load), null for a closed or open loop.</param>
    private sealed record Side(int? Concurrency, double? RequestRate, Func<string, double?> Value, bool? MeetsSlo, string? Trace = null);

    public static Comparison Predictions(TextWriter w, string pa, string pb)
    {
        var a = PredictionJsonReader.Read(pa);
        var b = PredictionJsonReader.Read(pb);
        Line(w, $"A: {Describe(a)}");
        Line(w, $"B: {Describe(b)}");
        if (!a.Slos.SequenceEqual(b.Slos)) Line(w, "note: the two predictions use different SLOs: " + Slos(a.Slos) + " vs " + Slos(b.Slos));
        var (figures, unpaired) = Table(w, a.Points.Select(Of).ToList(), b.Points.Select(Of).ToList(), "A", "B", "B/A", (x, y) => x is > 0 && y is { } v ? Fmt.N(v / x.Value, 3) + "x" : "n/a");
        return new Comparison("prediction", pa, pb, figures, unpaired);
    }

    /// <summary>A is the measured analysis, B the prediction: a figure's change is the prediction's error.</summary>
    public static Comparison PredictionVsAnalysis(TextWriter w, string predictionPath, string analysisPath)
    {
        var p = PredictionJsonReader.Read(predictionPath);
        var m = AnalysisJson.Read(analysisPath);
        Line(w, $"predicted: {Describe(p)}");
        Line(w, $"measured: {analysisPath} ({m.Points.Count} points, {m.Gpus} GPUs{(m.SpeedOfLight is { } sol ? ", " + sol.Model + " on " + sol.Hardware : "")})");
        if (p.BilledGpus != m.Gpus) Line(w, $"note: the prediction bills {p.BilledGpus} GPUs, the analysis {m.Gpus}: cost and per-GPU figures are not like for like");
        if (!p.Slos.SequenceEqual(m.Slos)) Line(w, "note: different SLOs: predicted " + Slos(p.Slos) + " vs measured " + Slos(m.Slos));
        var measured = m.Points.Select(Of).ToList();
        var (figures, unpaired) = Table(w, measured, p.Points.Select(Of).ToList(), "measured", "predicted", "error %",
            (x, y) => x is { } v && v != 0 && y is { } q ? Signed((q - v) / Math.Abs(v) * 100) : "n/a");
        foreach (var key in Keys.Where(k => k != "meets_slo"))
        {
            var e = figures.Where(r => r.Metric == key && r.ChangePercent is not null).Select(r => Math.Abs(r.ChangePercent!.Value)).Order().ToList();
            if (e.Count > 0) Line(w, $"{key}: median |error| {Fmt.N(e[(e.Count - 1) / 2] / 2 + e[e.Count / 2] / 2, 1)}%, max {Fmt.N(e[^1], 1)}% over {e.Count} points");
        }
        return new Comparison("prediction-vs-analysis", analysisPath, predictionPath, figures, unpaired);
    }

    private static Side Of(PointJson p) => new(p.Concurrency, p.RequestRate, k => k switch
    {
        "median_ttft_ms" => p.MedianTtftMs,
        "p99_ttft_ms" => p.P99TtftMs,
        "median_tpot_ms" => p.MedianTpotMs,
        "p99_tpot_ms" => p.P99TpotMs,
        "output_throughput" => p.OutputThroughput,
        "cost_per_1m_output_tokens" => p.CostPer1MOutputTokens,
        "sol_fraction" => p.SolFraction,
        _ => null,
    }, p.MeetsSlo, p.Trace.IsPresent ? p.Trace.Value ?? "" : null);

    private static Side Of(PointAnalysis p)
    {
        // Only a concurrency the run was driven at pairs with a predicted closed loop (not the measured average in flight).
        var driven = p.ConcurrencySource.StartsWith("max_concurrency", StringComparison.Ordinal) || p.ConcurrencySource.StartsWith("num_prompts", StringComparison.Ordinal)
                     || p.ConcurrencySource.StartsWith("number of requests", StringComparison.Ordinal);
        int? concurrency = driven && p.Concurrency is { } c && c >= 1 && c <= int.MaxValue && Math.Abs(c - Math.Round(c)) < 1e-9 ? (int)Math.Round(c) : null;
        double? rate = p.RequestRate is { } r && double.IsFinite(r) ? r : null;
        return new Side(concurrency, rate, k => k switch
        {
            "median_ttft_ms" => p.Latency("median", "ttft"),
            "p99_ttft_ms" => p.Latency("p99", "ttft"),
            "median_tpot_ms" => p.Latency("median", "tpot"),
            "p99_tpot_ms" => p.Latency("p99", "tpot"),
            "output_throughput" => p.OutputThroughput,
            "cost_per_1m_output_tokens" => p.CostPer1MOutputTokens,
            "sol_fraction" => p.SolFraction,
            _ => null,
        }, p.MeetsSlo);
    }

    /// <summary>Rows of (point, key, A, B, how B relates to A); returns every numeric figure paired and the unpaired points.</summary>
    private static (List<ComparedFigure> Figures, List<string> Unpaired) Table(TextWriter w, List<Side> a, List<Side> b, string nameA, string nameB, string relation, Func<double?, double?, string> relate)
    {
        var figures = new List<ComparedFigure>();
        Line(w, $"{"concurrency",-11} {"request_rate",-12} {"metric",-26} {nameA,14} {nameB,14} {relation,9}");
        var (pairs, onlyA, onlyB) = Pair(a, b);
        foreach (var (x, y) in pairs)
            foreach (var key in Keys)
            {
                if (key == "meets_slo")
                {
                    var same = x.MeetsSlo is null || y.MeetsSlo is null ? "n/a" : x.MeetsSlo == y.MeetsSlo ? "same" : "differs";
                    Line(w, $"{Conc(x),-11} {Rate(x),-12} {key,-26} {YesNo(x.MeetsSlo),14} {YesNo(y.MeetsSlo),14} {same,9}");
                    continue;
                }
                var (va, vb) = (x.Value(key), y.Value(key));
                figures.Add(new ComparedFigure(Load(x), key, va, vb));
                Line(w, $"{Conc(x),-11} {Rate(x),-12} {key,-26} {Value(key, va),14} {Value(key, vb),14} {relate(va, vb),9}");
            }
        var unpaired = onlyA.Select(x => $"only in {nameA}: {Load(x)}")
            .Concat(onlyB.Select(y => $"only in {nameB}: {Load(y)}")).ToList();
        foreach (var line in unpaired) Line(w, line);
        if (pairs.Count == 0) Line(w, "no point of one file has the concurrency and request rate of a point of the other");
        return (figures, unpaired);
    }

    /// <summary>The k-th point of a (concurrency, request_rate) in A pairs with the k-th of the same load in B, in B's order.</summary>
    private static (List<(Side A, Side B)> Pairs, List<Side> OnlyA, List<Side> OnlyB) Pair(List<Side> a, List<Side> b)
    {
        static (int?, double?, string?) Key(Side s) => (s.Concurrency, s.RequestRate is { } r ? Math.Round(r, 9) : null, s.Trace);
        var pool = a.GroupBy(Key).ToDictionary(g => g.Key, g => new Queue<Side>(g));
        var pairs = new List<(Side, Side)>();
        var onlyB = new List<Side>();
        foreach (var y in b)
        {
            if (pool.TryGetValue(Key(y), out var q) && q.TryDequeue(out var x)) pairs.Add((x, y));
            else onlyB.Add(y);
        }
        var paired = pairs.Select(p => p.Item1).ToHashSet(ReferenceEqualityComparer.Instance);
        return (pairs, a.Where(x => !paired.Contains(x)).ToList(), onlyB);
    }

    private static string Describe(PredictionFile f) =>
        $"{f.Path} ({f.Model} on {f.Hardware}, {f.HardwareLabel}; {f.Deployment}; {f.BilledGpus} GPUs; ISL {f.Isl} / OSL {f.Osl}; {f.Points.Count} points)";

    private static string Slos(IReadOnlyList<string> s) => s.Count == 0 ? "none" : string.Join(" and ", s);

    private static string Conc(Side s) => s.Concurrency is { } c ? c.ToString(CultureInfo.InvariantCulture) : "-";

    private static string Rate(Side s) => s.Trace is not null ? "trace" : s.RequestRate is { } r ? r.ToString("0.###", CultureInfo.InvariantCulture) : "inf";

    private static string Load(Side s) => s.Trace is { } t ? $"trace {ConsoleText.Clean(t)}" : $"concurrency {Conc(s)}, request_rate {Rate(s)}";

    private static string YesNo(bool? b) => b switch { true => "yes", false => "no", null => "n/a" };

    private static string Signed(double percent) => (percent >= 0 ? "+" : "") + Fmt.N(percent, 1) + "%";

    private static string Value(string key, double? v) => key switch
    {
        "cost_per_1m_output_tokens" => Fmt.Usd(v),
        "sol_fraction" => Fmt.Pct(v),
        "output_throughput" => Fmt.N(v, 1),
        _ => Fmt.N(v, 2),
    };

    private static void Line(TextWriter w, string s) => w.WriteLine(ConsoleText.OneLine(s));
}
