using System.Text;
using Micro.EndToEnd.Analysis;

namespace Micro.EndToEnd.Reports;

/// <summary>report.md: every string from an input file is Markdown-escaped.</summary>
public static class MarkdownReport
{
    public static string Render(AnalysisResult r, IReadOnlyList<string> pngNames)
    {
        var b = new StringBuilder();
        b.AppendLine("# vLLM results against speed of light and cost").AppendLine();
        b.AppendLine("Inputs: " + string.Join(", ", r.Inputs.Select(Escape.Markdown)) + "  ");
        var models = r.Points.Select(p => p.ModelId).Where(m => m is not null).Distinct().ToList();
        if (models.Count > 0) b.AppendLine("Model id(s) in the files: " + string.Join(", ", models.Select(Escape.Markdown)) + "  ");
        b.AppendLine("SLO: " + (r.Slos.Count > 0 ? Escape.Markdown(string.Join(" and ", r.Slos)) : "none given")).AppendLine();

        if (r.Warnings.Count > 0)
        {
            b.AppendLine("## Warnings").AppendLine();
            foreach (var w in r.Warnings) b.AppendLine("- " + Escape.Markdown(w));
            b.AppendLine();
        }
        b.AppendLine("## Diagnosis").AppendLine();
        foreach (var l in r.Diagnosis) b.AppendLine("- " + Escape.Markdown(l));
        b.AppendLine();
        Table(b, ReportTables.Points(r));
        b.AppendLine("(T) throughput-optimal, (OP) operating point. Latencies: " + Escape.Markdown(string.Join("; ", r.Points.Select(p => p.LatencySource).Distinct())) + ".").AppendLine();
        if (ReportTables.Monthly(r) is { } m) Table(b, m);
        else b.AppendLine("Monthly cost: give --requests-per-month for the unit and provisioned monthly views.").AppendLine();
        if (r.OperatingPointNote is { } note) b.AppendLine("Operating point: " + Escape.Markdown(note)).AppendLine();

        if (r.SpeedOfLight is { } s)
        {
            b.AppendLine("## Speed of light").AppendLine();
            b.AppendLine($"- Hardware: {Escape.Markdown(s.Hardware)} (**{Escape.Markdown(s.HardwareLabel)}**): {Fmt.N(s.BandwidthGBps)} GB/s, {Fmt.N(s.GemmTflops, 1)} TFLOP/s bf16. Source: {Escape.Markdown(s.HardwareSource)}");
            b.AppendLine($"- Model: {Escape.Markdown(s.Model)}, {Fmt.N(s.TotalParameters / 1e9, 2)}B parameters, {Fmt.N(s.ActiveParametersPerToken / 1e9, 2)}B active per token; parameter count mode: {Escape.Markdown(s.ParameterCountMode)}.");
            b.AppendLine($"- Weights: {Escape.Markdown(s.WeightAssumption)}; KV {Fmt.N(s.KvBytesPerElement, 2)} bytes/element; decode replica TP {s.TensorParallel}, {s.DecodeReplicas} replica(s).");
            b.AppendLine().AppendLine("Formula:").AppendLine().AppendLine("```").AppendLine(s.Formula.Replace("; ", ";\n", StringComparison.Ordinal)).AppendLine("```").AppendLine();
        }
        b.AppendLine("## Assumptions").AppendLine();
        foreach (var a in r.Assumptions) b.AppendLine("- " + Escape.Markdown(a));
        b.AppendLine();

        b.AppendLine("## Per point").AppendLine();
        foreach (var p in r.Points)
        {
            b.AppendLine($"### Concurrency {Fmt.Conc(p.Concurrency)} ({Escape.Markdown(Path.GetFileName(p.Source))})").AppendLine();
            foreach (var l in p.Diagnosis) b.AppendLine("- " + Escape.Markdown(l));
            b.AppendLine();
        }
        var d = ReportTables.Discrepancies(r);
        if (d.Rows.Count > 0) Table(b, d);
        var bk = ReportTables.Buckets(r);
        if (bk.Rows.Count > 0) Table(b, bk);

        b.AppendLine("## Figures").AppendLine();
        foreach (var png in pngNames) b.AppendLine($"![{png}]({png})").AppendLine();
        return b.ToString();
    }

    private static void Table(StringBuilder b, ReportTables.Table t)
    {
        b.AppendLine("## " + t.Title).AppendLine();
        b.AppendLine("| " + string.Join(" | ", t.Header) + " |");
        b.AppendLine("|" + string.Concat(t.Header.Select(_ => "---|")));
        foreach (var row in t.Rows) b.AppendLine("| " + string.Join(" | ", row.Select(Escape.Markdown)) + " |");
        b.AppendLine();
    }
}
