using System.Text;
using Micro.EndToEnd.Analysis;

namespace Micro.EndToEnd.Reports;

/// <summary>report.html: self-contained, plots inline as SVG, every string HTML-encoded.</summary>
public static class HtmlReport
{
    public static string Render(AnalysisResult r, IReadOnlyList<(string Title, string Svg)> figures)
    {
        var b = new StringBuilder();
        b.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>micro analyze</title>");
        b.AppendLine("<style>body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;font-size:13px;margin:1em 0}" +
                     "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}" +
                     "pre{background:#f6f6f6;padding:1em;white-space:pre-wrap}.fig svg{max-width:100%;height:auto}</style></head><body>");
        b.AppendLine("<h1>vLLM results against speed of light and cost</h1>");
        b.AppendLine("<p>Inputs: " + string.Join(", ", r.Inputs.Select(i => "<code>" + Escape.Html(i) + "</code>")) + "<br>");
        var models = r.Points.Select(p => p.ModelId).Where(m => m is not null).Distinct().ToList();
        if (models.Count > 0) b.AppendLine("Model id(s) in the files: " + Escape.Html(string.Join(", ", models)) + "<br>");
        b.AppendLine("SLO: " + Escape.Html(r.Slos.Count > 0 ? string.Join(" and ", r.Slos) : "none given") + "</p>");
        if (r.Warnings.Count > 0)
        {
            b.AppendLine("<h2>Warnings</h2><ul>");
            foreach (var w in r.Warnings) b.AppendLine("<li>" + Escape.Html(w) + "</li>");
            b.AppendLine("</ul>");
        }
        b.AppendLine("<h2>Diagnosis</h2><ul>");
        foreach (var l in r.Diagnosis) b.AppendLine("<li>" + Escape.Html(l) + "</li>");
        b.AppendLine("</ul>");
        Table(b, ReportTables.Points(r));
        b.AppendLine("<p>(T) throughput-optimal, (OP) operating point. Latencies: " + Escape.Html(string.Join("; ", r.Points.Select(p => p.LatencySource).Distinct())) + ".</p>");
        if (ReportTables.Monthly(r) is { } m) Table(b, m);
        else b.AppendLine("<p>Monthly cost: give --requests-per-month for the unit and provisioned monthly views.</p>");
        if (r.OperatingPointNote is { } note) b.AppendLine("<p>Operating point: " + Escape.Html(note) + "</p>");
        if (r.SpeedOfLight is { } s)
        {
            b.AppendLine("<h2>Speed of light</h2><ul>");
            b.AppendLine($"<li>Hardware: {Escape.Html(s.Hardware)} (<b>{Escape.Html(s.HardwareLabel)}</b>): {Fmt.N(s.BandwidthGBps)} GB/s, {Fmt.N(s.GemmTflops, 1)} TFLOP/s bf16. Source: {Escape.Html(s.HardwareSource)}</li>");
            b.AppendLine($"<li>Model: {Escape.Html(s.Model)}, {Fmt.N(s.TotalParameters / 1e9, 2)}B parameters, {Fmt.N(s.ActiveParametersPerToken / 1e9, 2)}B active per token; parameter count mode: {Escape.Html(s.ParameterCountMode)}.</li>");
            b.AppendLine($"<li>Weights: {Escape.Html(s.WeightAssumption)}; KV {Fmt.N(s.KvBytesPerElement, 2)} bytes/element; decode replica TP {s.TensorParallel}, {s.DecodeReplicas} replica(s).</li></ul>");
            b.AppendLine("<p>Formula:</p><pre>" + Escape.Html(s.Formula.Replace("; ", ";\n", StringComparison.Ordinal)) + "</pre>");
        }
        b.AppendLine("<h2>Figures</h2>");
        foreach (var (title, svg) in figures) b.AppendLine($"<div class=\"fig\"><h3>{Escape.Html(title)}</h3>{svg}</div>");
        b.AppendLine("<h2>Assumptions</h2><ul>");
        foreach (var a in r.Assumptions) b.AppendLine("<li>" + Escape.Html(a) + "</li>");
        b.AppendLine("</ul><h2>Per point</h2>");
        foreach (var p in r.Points)
        {
            b.AppendLine($"<h3>Concurrency {Fmt.Conc(p.Concurrency)} ({Escape.Html(Path.GetFileName(p.Source))})</h3><ul>");
            foreach (var l in p.Diagnosis) b.AppendLine("<li>" + Escape.Html(l) + "</li>");
            b.AppendLine("</ul>");
        }
        var d = ReportTables.Discrepancies(r);
        if (d.Rows.Count > 0) Table(b, d);
        var bk = ReportTables.Buckets(r);
        if (bk.Rows.Count > 0) Table(b, bk);
        b.AppendLine("</body></html>");
        return b.ToString();
    }

    private static void Table(StringBuilder b, ReportTables.Table t)
    {
        b.AppendLine("<h2>" + Escape.Html(t.Title) + "</h2><table><tr>" + string.Concat(t.Header.Select(h => "<th>" + Escape.Html(h) + "</th>")) + "</tr>");
        foreach (var row in t.Rows) b.AppendLine("<tr>" + string.Concat(row.Select(c => "<td>" + Escape.Html(c) + "</td>")) + "</tr>");
        b.AppendLine("</table>");
    }
}
