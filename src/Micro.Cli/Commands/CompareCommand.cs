using System.CommandLine;
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
        var cmd = new Command("compare", "Two ceilings profiles, analyses or predictions side by side with B/A ratios, or a prediction against an analysis with error %");
        cmd.Arguments.Add(a);
        cmd.Arguments.Add(b);
        cmd.SetAction(pr =>
        {
            var w = pr.InvocationConfiguration.Output;
            var pa = pr.GetValue(a)!;
            var pb = pr.GetValue(b)!;
            var ka = Kind(pa);
            var kb = Kind(pb);
            switch (ka, kb)
            {
                case ("ceilings", "ceilings"): Ceilings(w, pa, pb); break;
                case ("analysis", "analysis"): Analyses(w, pa, pb); break;
                case ("prediction", "prediction"): ComparePredictions.Predictions(w, pa, pb); break;
                case ("prediction", "analysis"): ComparePredictions.PredictionVsAnalysis(w, pa, pb); break;
                case ("analysis", "prediction"): ComparePredictions.PredictionVsAnalysis(w, pb, pa); break;
                default: throw new UsageException($"cannot compare a {ka} with a {kb}: give two ceilings, two analyses, two predictions, or a prediction and an analysis");
            }
            return ExitCodes.Ok;
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

    private static void Ceilings(TextWriter w, string pa, string pb)
    {
        var a = CeilingsFile.Read(pa);
        var b = CeilingsFile.Read(pb);
        var da = a.Devices.FirstOrDefault() ?? throw new InputException(pa, "devices", "no device in the profile");
        var db = b.Devices.FirstOrDefault() ?? throw new InputException(pb, "devices", "no device in the profile");
        w.WriteLine(ConsoleText.OneLine($"A: {da.Device} ({pa})"));
        w.WriteLine(ConsoleText.OneLine($"B: {db.Device} ({pb})"));
        w.WriteLine($"{"ceiling",-24} {"A",14} {"B",14} {"unit",-10} {"B/A",8}");
        foreach (var name in da.Ceilings.Select(c => c.Name).Union(db.Ceilings.Select(c => c.Name)).Order(StringComparer.Ordinal))
        {
            var ca = da.Find(name);
            var cb = db.Find(name);
            var ratio = ca is { Value: > 0 } && cb is not null ? cb.Value / ca.Value : (double?)null;
            w.WriteLine(ConsoleText.OneLine($"{name,-24} {Fmt.N(ca?.Value, 2),14} {Fmt.N(cb?.Value, 2),14} {(ca ?? cb)!.Unit,-10} {(ratio is { } r ? Fmt.N(r, 3) + "x" : "n/a"),8}" +
                        (ca is not null && cb is not null && ca.Unit != cb.Unit ? "  (units differ)" : "") +
                        (ca?.Better == Better.Lower ? "  (lower is better)" : "")));
        }
    }

    private static void Analyses(TextWriter w, string pa, string pb)
    {
        var a = AnalysisJson.Read(pa);
        var b = AnalysisJson.Read(pb);
        w.WriteLine(ConsoleText.OneLine($"A: {pa} ({a.Points.Count} points, {a.Gpus} GPUs at {Fmt.Usd(a.GpuHourPrice)}/GPU-h{(a.SpeedOfLight is { } sa ? ", " + sa.Hardware : "")})"));
        w.WriteLine(ConsoleText.OneLine($"B: {pb} ({b.Points.Count} points, {b.Gpus} GPUs at {Fmt.Usd(b.GpuHourPrice)}/GPU-h{(b.SpeedOfLight is { } sb ? ", " + sb.Hardware : "")})"));
        Row(w, "", "A", "B", "B/A");
        void Pair(string label, ChosenPoint? x, ChosenPoint? y)
        {
            Row(w, label + " concurrency", Fmt.Conc(x?.Concurrency), Fmt.Conc(y?.Concurrency), "");
            Row(w, label + " output tok/s", Fmt.N(x?.OutputThroughput), Fmt.N(y?.OutputThroughput), Ratio(x?.OutputThroughput, y?.OutputThroughput));
            Row(w, label + " $/request", Fmt.Usd(x?.CostPerRequest), Fmt.Usd(y?.CostPerRequest), Ratio(x?.CostPerRequest, y?.CostPerRequest));
            Row(w, label + " provisioned $/month", Fmt.Usd(x?.ProvisionedMonthlyCost), Fmt.Usd(y?.ProvisionedMonthlyCost), Ratio(x?.ProvisionedMonthlyCost, y?.ProvisionedMonthlyCost));
        }
        Pair("throughput-optimal", a.ThroughputOptimal, b.ThroughputOptimal);
        Pair("operating point", a.OperatingPoint, b.OperatingPoint);
        if (!a.Slos.SequenceEqual(b.Slos)) w.WriteLine(ConsoleText.OneLine("note: the two analyses use different SLOs: " + string.Join(" and ", a.Slos) + " vs " + string.Join(" and ", b.Slos)));
        var best = (AnalysisResult r) => r.Points.Where(p => p.SolFraction is not null).Select(p => p.SolFraction!.Value).DefaultIfEmpty(double.NaN).Max();
        Row(w, "best %SoL", Fmt.Pct(best(a)), Fmt.Pct(best(b)), "");
    }

    private static string Ratio(double? a, double? b) => a is > 0 && b is { } y ? Fmt.N(y / a.Value, 3) + "x" : "n/a";

    private static void Row(TextWriter w, string label, string a, string b, string ratio) =>
        w.WriteLine(ConsoleText.OneLine($"{label,-36} {a,14} {b,14} {ratio,8}"));
}
