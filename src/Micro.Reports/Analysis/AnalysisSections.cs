using Micro.EndToEnd.Analysis;
using Micro.Reports.Sections;
using Micro.Reports.Writers;

namespace Micro.Reports.Analysis;

/// <summary>The sections of `micro analyze`'s report.md / report.html, in order. Every string is raw: the writers escape it.</summary>
public static class AnalysisSections
{
    public static readonly IReadOnlyList<ReportSection<AnalysisView>> All =
    [
        new("inputs", ctx => Inputs(ctx.Input)),
        new("warnings", ctx => ctx.Input.Result.Warnings.Count == 0 ? [] : [new Heading("Warnings"), new BulletList(ctx.Input.Result.Warnings)]),
        new("diagnosis", ctx => [new Heading("Diagnosis"), new BulletList(ctx.Input.Result.Diagnosis)]),
        new("points", ctx => [new Heading("Points"), AnalysisTables.Points(ctx.Input)]),
        new("monthly", ctx => Monthly(ctx.Input.Result)),
        new("speed-of-light", ctx => SpeedOfLight(ctx.Input.Result)),
        CommonSections.Figures<AnalysisView>(),
        new("assumptions", ctx => [new Heading("Assumptions"), new BulletList(ctx.Input.Result.Assumptions)]),
        new("per-point", ctx => PerPoint(ctx.Input)),
        new("discrepancies", ctx => Titled("Stated figures the per-request arrays do not reproduce (> 0.1%)", AnalysisTables.Discrepancies(ctx.Input))),
        new("buckets", ctx => Titled("Metrics by input/output length bucket", AnalysisTables.Buckets(ctx.Input))),
    ];

    private static IEnumerable<ReportBlock> Inputs(AnalysisView v)
    {
        var r = v.Result;
        yield return new Paragraph("Inputs: " + string.Join(", ", r.Inputs));
        var models = r.Points.Select(p => p.ModelId).Where(m => m is not null).Distinct().Take(16).ToList();
        if (models.Count > 0) yield return new Paragraph("Model id(s) in the files: " + string.Join(", ", models));
        if (r.Deployment is { } d) yield return new Paragraph("Deployment: " + d.Describe());
        yield return new Paragraph("SLO: " + (r.Slos.Count > 0 ? string.Join(" and ", r.Slos) : "none given"));
        if (v.SummaryNote is { } note) yield return new Paragraph("This report summarizes: " + note);
    }

    private static IEnumerable<ReportBlock> Monthly(AnalysisResult r)
    {
        if (AnalysisTables.Monthly(r) is { } m) { yield return new Heading("Monthly cost"); yield return m; }
        else yield return new Paragraph("Monthly cost: give --requests-per-month for the unit and provisioned monthly views.");
        if (r.OperatingPointNote is { } note) yield return new Paragraph("Operating point: " + note);
    }

    private static IEnumerable<ReportBlock> SpeedOfLight(AnalysisResult r)
    {
        if (r.SpeedOfLight is not { } s) yield break;
        yield return new Heading("Speed of light");
        yield return new BulletList(
        [
            $"Hardware: {s.Hardware} ({s.HardwareLabel}): {Fmt.N(s.BandwidthGBps)} GB/s, {Fmt.N(s.GemmTflops, 1)} TFLOP/s bf16. Source: {s.HardwareSource}",
            $"Model: {s.Model}, {Fmt.N(s.TotalParameters / 1e9, 2)}B parameters, {Fmt.N(s.ActiveParametersPerToken / 1e9, 2)}B active per token; parameter count mode: {s.ParameterCountMode}.",
            $"Weights: {s.WeightAssumption}; KV {Fmt.N(s.KvBytesPerElement, 2)} bytes/element; decode replica TP {s.TensorParallel}, {s.DecodeReplicas} replica(s).",
        ]);
        yield return new Paragraph("Formula:");
        var parts = s.Formula.Split("; ");
        yield return new Preformatted(parts.Select((part, i) => i < parts.Length - 1 ? part + ";" : part).ToList());
    }

    private static IEnumerable<ReportBlock> PerPoint(AnalysisView v)
    {
        yield return new Heading("Per point");
        foreach (var p in v.Points)
        {
            yield return new Heading($"Concurrency {Fmt.Conc(p.Concurrency)} ({Path.GetFileName(p.Source)})", 3);
            yield return new BulletList(p.Diagnosis);
        }
    }

    private static IEnumerable<ReportBlock> Titled(string title, Table t) => t.Rows.Count == 0 ? [] : [new Heading(title), t];
}
