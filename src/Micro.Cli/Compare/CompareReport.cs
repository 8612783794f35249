using System.Text.Json;
using System.Text.Json.Serialization;
using Micro.Core.Results;
using Micro.EndToEnd.Analysis;

namespace Micro.Cli.Compare;

/// <summary>`micro compare --json` (schema micro.compare/1) and the `--fail-if` crossings, one line each.</summary>
public static class CompareReport
{
    public const string Schema = "micro.compare/1";

    public sealed record Crossing(FailIf Threshold, ComparedFigure Figure);

    // A missing side or change is written as null, not left out: every figure has the same keys.
    private sealed record FigureJson(string Scope, string Metric, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? A,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? B, string? Unit,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? ChangePercent);

    private sealed record CrossingJson(string Threshold, string Scope, string Metric, double? A, double? B, double? ChangePercent);

    private sealed record ReportJson(string Schema, string Kind, string A, string B, IReadOnlyList<FigureJson> Figures,
        IReadOnlyList<string> Unpaired, IReadOnlyList<CrossingJson> Crossings, [property: JsonPropertyName("failed")] bool Failed);

    public static IReadOnlyList<Crossing> Crossings(Comparison comparison, IReadOnlyList<FailIf> thresholds) =>
        thresholds.SelectMany(t => comparison.Figures.Where(t.CrossedBy).Select(f => new Crossing(t, f))).ToList();

    public static string Describe(Crossing c) =>
        $"fail-if {c.Threshold.Text}: {c.Figure.Scope}: {c.Figure.Metric} {Fmt.N(c.Figure.A, 3)} -> {Fmt.N(c.Figure.B, 3)}" +
        $"{(c.Figure.Unit is { } u ? " " + u : "")} ({(c.Figure.ChangePercent >= 0 ? "+" : "")}{Fmt.N(c.Figure.ChangePercent, 1)}%)";

    public static void WriteJson(TextWriter w, Comparison comparison, IReadOnlyList<Crossing> crossings)
    {
        var report = new ReportJson(Schema, comparison.Kind, comparison.A, comparison.B,
            comparison.Figures.Select(f => new FigureJson(f.Scope, f.Metric, Finite(f.A), Finite(f.B), f.Unit, f.ChangePercent)).ToList(),
            comparison.Unpaired,
            crossings.Select(c => new CrossingJson(c.Threshold.Text, c.Figure.Scope, c.Figure.Metric, Finite(c.Figure.A), Finite(c.Figure.B), c.Figure.ChangePercent)).ToList(),
            crossings.Count > 0);
        w.WriteLine(JsonSerializer.Serialize(report, MicroJson.Pretty));
    }

    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;
}
