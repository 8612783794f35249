using System.CommandLine;
using Micro.Cli.Compare;
using Micro.Core.Ceilings;
using Micro.Core.Input;
using Micro.Core.Results;
using Micro.Core.Text;
using Micro.EndToEnd.Analysis;
using Micro.EndToEnd.Prediction;

namespace Micro.Cli.Commands;

/// <summary>`micro compare A B`: two ceilings.json (a new GPU generation vs the old), two analysis.json or two prediction.json side
/// by side, or a prediction.json against the analysis.json of real runs (predicted vs measured).</summary>
public static class CompareCommand
{
    public static Command Build()
    {
        var a = new Argument<string>("a") { Description = "ceilings.json, analysis.json or prediction.json (baseline)" };
        var b = new Argument<string>("b") { Description = "ceilings.json, analysis.json or prediction.json (candidate)" };
        var json = new Option<bool>("--json") { Description = "Print the comparison as JSON (schema micro.compare/1: every paired figure with A, B and change_percent, and the crossed thresholds) instead of tables" };
        var failIf = new Option<string[]>("--fail-if")
        {
            Description = "For CI: exit 1 when B's figure moved past a threshold relative to A, e.g. \"output_throughput<-5%\" (B more than 5% below A) " +
                          "or \"launch_latency>+10%\"; repeatable; one line per crossing",
            Arity = ArgumentArity.OneOrMore,
        };
        var cmd = new Command("compare", "Two ceilings profiles (every device), analyses or predictions side by side with B/A ratios, or a prediction against an analysis with error %; --fail-if gates CI");
        cmd.Arguments.Add(a);
        cmd.Arguments.Add(b);
        cmd.Options.Add(json);
        cmd.Options.Add(failIf);
        cmd.SetAction(pr =>
        {
            var w = pr.InvocationConfiguration.Output;
            var thresholds = (pr.GetValue(failIf) ?? []).Select(FailIf.Parse).ToList();
            var asJson = pr.GetValue(json);
            var pa = pr.GetValue(a)!;
            var pb = pr.GetValue(b)!;
            var ka = Kind(pa);
            var kb = Kind(pb);
            // The tables wait until every --fail-if names a figure; with --json they are not printed (the JSON is all of stdout).
            var text = new StringWriter();
            var comparison = (ka, kb) switch
            {
                ("ceilings", "ceilings") => Ceilings(text, pa, pb),
                ("analysis", "analysis") => Analyses(text, pa, pb),
                ("prediction", "prediction") => ComparePredictions.Predictions(text, pa, pb),
                ("prediction", "analysis") => ComparePredictions.PredictionVsAnalysis(text, pa, pb),
                ("analysis", "prediction") => ComparePredictions.PredictionVsAnalysis(text, pb, pa),
                _ => throw new UsageException($"cannot compare a {ka} with a {kb}: give two ceilings, two analyses, two predictions, or a prediction and an analysis"),
            };
            foreach (var t in thresholds.Where(t => !comparison.Figures.Any(t.Names)))
                throw new UsageException($"--fail-if '{t.Text}': no figure named '{t.Metric}' in these files (they have: {string.Join(", ", comparison.Figures.Select(f => f.Metric).Distinct().Take(30))})");
            if (!asJson) w.Write(text.ToString());
            var crossings = CompareReport.Crossings(comparison, thresholds);
            if (asJson) CompareReport.WriteJson(w, comparison, crossings);
            var lines = asJson ? pr.InvocationConfiguration.Error : w;
            foreach (var c in crossings) lines.WriteLine(ConsoleText.OneLine(CompareReport.Describe(c)));
            return crossings.Count > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return cmd;
    }

    private static string Kind(string path)
    {
        using var s = BoundedFile.OpenRead(path, InputLimits.MaxFileBytes);
        var head = new byte[4096];
        var n = s.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        JsonInput.CheckStart(head.AsSpan(0, n), path, "a ceilings.json, an analysis.json or a prediction.json");
        var text = System.Text.Encoding.UTF8.GetString(head, 0, n);
        // Any version: CeilingsFile and AnalysisJson read /1 files as /2.
        if (text.Contains("\"micro.ceilings/", StringComparison.Ordinal)) return "ceilings";
        if (text.Contains("\"micro.analysis/", StringComparison.Ordinal)) return "analysis";
        if (text.Contains("\"micro.prediction/", StringComparison.Ordinal)) return "prediction";
        throw new InputException(path, "schema", $"neither a ceilings profile ({CeilingsProfile.CurrentSchema}), an analysis ({AnalysisResult.CurrentSchema}) nor a prediction ({PredictionJson.Schema})");
    }

    /// <summary>
    /// Every device of A against B: devices pair by name (and rank), and what is left pairs in file order, so one old GPU
    /// against one new one still compares; a device left over is listed as only in A or only in B.
    /// </summary>
    private static Comparison Ceilings(TextWriter w, string pa, string pb)
    {
        var a = CeilingsFile.Read(pa);
        var b = CeilingsFile.Read(pb);
        if (a.Devices.Count == 0) throw new InputException(pa, "devices", "no device in the profile");
        if (b.Devices.Count == 0) throw new InputException(pb, "devices", "no device in the profile");
        var figures = new List<ComparedFigure>();
        var (pairs, onlyA, onlyB) = DevicePairs(a.Devices, b.Devices);
        foreach (var (da, db) in pairs)
        {
            var scope = da.Device == db.Device && da.Rank == db.Rank ? Name(da) : $"{Name(da)} vs {Name(db)}";
            w.WriteLine(ConsoleText.OneLine($"A: {Name(da)} ({pa})"));
            w.WriteLine(ConsoleText.OneLine($"B: {Name(db)} ({pb})"));
            var rows = new List<IReadOnlyList<string>>();
            foreach (var name in da.Ceilings.Select(c => c.Name).Union(db.Ceilings.Select(c => c.Name)).Order(StringComparer.Ordinal))
            {
                var ca = da.Find(name);
                var cb = db.Find(name);
                var ratio = ca is { Value: > 0 } && cb is not null ? cb.Value / ca.Value : (double?)null;
                var notes = new[]
                {
                    ca is not null && cb is not null && ca.Unit != cb.Unit ? "units differ" : null,
                    ca?.Better == Better.Lower ? "lower is better" : null,
                    Qualifiers(ca, cb),
                }.OfType<string>();
                rows.Add([name, Fmt.N(ca?.Value, 2), Fmt.N(cb?.Value, 2), (ca ?? cb)!.Unit, ratio is { } r ? Fmt.N(r, 3) + "x" : "n/a", string.Join("; ", notes)]);
                figures.Add(new ComparedFigure(scope, name, ca?.Value, cb?.Value, (ca ?? cb)!.Unit));
            }
            var console = Output.CliConsole.On(w);
            console.Write(Output.FittedTable.Build(console, "ceilings, B against A", ["ceiling", "A", "B", "unit", "B/A", "note"], rows));
        }
        var unpaired = onlyA.Select(d => $"only in A: {Name(d)}").Concat(onlyB.Select(d => $"only in B: {Name(d)}")).ToList();
        foreach (var line in unpaired) w.WriteLine(ConsoleText.OneLine(line));
        return new Comparison("ceilings", pa, pb, figures, unpaired);
    }

    private static string Name(DeviceCeilings d) => d.Rank is { } r ? $"{d.Device} (rank {r})" : d.Device;

    /// <summary>Noisy and quick ceilings say so beside the figure ("A noisy busy, B clean"); null when both are clean.</summary>
    private static string? Qualifiers(Ceiling? a, Ceiling? b)
    {
        var (fa, fb) = (a is null ? "-" : Output.CeilingsSummary.Flags(a), b is null ? "-" : Output.CeilingsSummary.Flags(b));
        return fa is "clean" or "-" && fb is "clean" or "-" ? null : $"A {fa}, B {fb}";
    }

    public static (List<(DeviceCeilings A, DeviceCeilings B)> Pairs, List<DeviceCeilings> OnlyA, List<DeviceCeilings> OnlyB) DevicePairs(
        IReadOnlyList<DeviceCeilings> a, IReadOnlyList<DeviceCeilings> b)
    {
        var restB = b.ToList();
        var pairs = new List<(DeviceCeilings, DeviceCeilings)>();
        var restA = new List<DeviceCeilings>();
        foreach (var da in a)
        {
            var match = restB.FirstOrDefault(db => db.Device == da.Device && db.Rank == da.Rank);
            if (match is null) { restA.Add(da); continue; }
            pairs.Add((da, match));
            restB.Remove(match);
        }
        var byOrder = Math.Min(restA.Count, restB.Count);
        for (var i = 0; i < byOrder; i++) pairs.Add((restA[i], restB[i]));
        return (pairs, restA.Skip(byOrder).ToList(), restB.Skip(byOrder).ToList());
    }

    private static Comparison Analyses(TextWriter w, string pa, string pb)
    {
        var figures = new List<ComparedFigure>();
        var a = AnalysisJson.Read(pa);
        var b = AnalysisJson.Read(pb);
        w.WriteLine(ConsoleText.OneLine($"A: {pa} ({a.Points.Count} points, {a.Gpus} GPUs at {Fmt.Usd(a.GpuHourPrice)}/GPU-h{(a.SpeedOfLight is { } sa ? ", " + sa.Hardware : "")})"));
        w.WriteLine(ConsoleText.OneLine($"B: {pb} ({b.Points.Count} points, {b.Gpus} GPUs at {Fmt.Usd(b.GpuHourPrice)}/GPU-h{(b.SpeedOfLight is { } sb ? ", " + sb.Hardware : "")})"));
        var rows = new List<IReadOnlyList<string>>();
        void Row(string label, string x, string y, string ratio) => rows.Add([label, x, y, ratio]);
        void Pair(string label, ChosenPoint? x, ChosenPoint? y)
        {
            figures.Add(new ComparedFigure(label, "concurrency", x?.Concurrency, y?.Concurrency));
            figures.Add(new ComparedFigure(label, "output_throughput", x?.OutputThroughput, y?.OutputThroughput, "tok/s"));
            figures.Add(new ComparedFigure(label, "cost_per_request", x?.CostPerRequest, y?.CostPerRequest, "$"));
            figures.Add(new ComparedFigure(label, "provisioned_monthly_cost", x?.ProvisionedMonthlyCost, y?.ProvisionedMonthlyCost, "$"));
            Row(label + " concurrency", Fmt.Conc(x?.Concurrency), Fmt.Conc(y?.Concurrency), "");
            Row(label + " output tok/s", Fmt.N(x?.OutputThroughput), Fmt.N(y?.OutputThroughput), Ratio(x?.OutputThroughput, y?.OutputThroughput));
            Row(label + " $/request", Fmt.Usd(x?.CostPerRequest), Fmt.Usd(y?.CostPerRequest), Ratio(x?.CostPerRequest, y?.CostPerRequest));
            Row(label + " provisioned $/month", Fmt.Usd(x?.ProvisionedMonthlyCost), Fmt.Usd(y?.ProvisionedMonthlyCost), Ratio(x?.ProvisionedMonthlyCost, y?.ProvisionedMonthlyCost));
        }
        Pair("throughput-optimal", a.ThroughputOptimal, b.ThroughputOptimal);
        Pair("operating point", a.OperatingPoint, b.OperatingPoint);
        var best = (AnalysisResult r) => r.Points.Where(p => p.SolFraction is not null).Select(p => p.SolFraction!.Value).DefaultIfEmpty(double.NaN).Max();
        Row("best %SoL", Fmt.Pct(best(a)), Fmt.Pct(best(b)), "");
        var console = Output.CliConsole.On(w);
        console.Write(Output.FittedTable.Build(console, "analyses, B against A", ["figure", "A", "B", "B/A"], rows));
        if (!a.Slos.SequenceEqual(b.Slos)) w.WriteLine(ConsoleText.OneLine("note: the two analyses use different SLOs: " + string.Join(" and ", a.Slos) + " vs " + string.Join(" and ", b.Slos)));
        figures.Add(new ComparedFigure("all points", "sol_fraction", Finite(best(a)), Finite(best(b))));
        return new Comparison("analysis", pa, pb, figures, []);
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static string Ratio(double? a, double? b) => a is > 0 && b is { } y ? Fmt.N(y / a.Value, 3) + "x" : "n/a";

}
