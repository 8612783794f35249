using System.Globalization;
using System.Text;
using Micro.Reports.Text;

namespace Micro.Reports.Writers;

/// <summary>
/// A self-contained static page that can be mailed as one file: no scripts, inline style only, figures embedded as PNG
/// data URIs (the SVG stays a file beside it), tables that wrap inside 1280 px and long ones collapsed.
/// </summary>
public static class HtmlWriter
{
    /// <summary>The one Content-Security-Policy of every Micro report: no script may run even if escaping were ever bypassed; images only from the page itself.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'";

    /// <summary>Tables longer than this are collapsed in a details element with their row count as the summary.</summary>
    public const int CollapseRows = 25;

    /// <summary>A figure larger than this is linked, not embedded (keeps a report with many figures mailable).</summary>
    public const long MaxEmbeddedBytes = 4L << 20;

    private const int MaxText = 2000;

    private const string Style =
        "body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}" +
        ".tw{max-width:100%;overflow-x:auto}" +
        "table{border-collapse:collapse;margin:1em 0;font-size:13px;max-width:100%}" +
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top;max-width:24em;overflow-wrap:anywhere}" +
        "th{background:#f0f0f0}td.num{text-align:right;white-space:nowrap}img{max-width:100%;height:auto;border:1px solid #ddd}" +
        "figure{margin:2em 0}figcaption{font-size:13px;color:#444}details{margin:1em 0}summary{cursor:pointer;color:#245}" +
        "p.note{font-size:13px;color:#555}pre{background:#f6f6f6;padding:1em;white-space:pre-wrap;overflow-wrap:anywhere}";

    /// <param name="image">Bytes of a figure's PNG by its path relative to the report, or null when it cannot be read (then it is linked).</param>
    public static string Write(ReportModel model, Func<string, byte[]?>? image = null)
    {
        var sb = new StringBuilder();
        sb.AppendLine("<!DOCTYPE html>");
        sb.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.AppendLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(ContentSecurityPolicy).AppendLine("\">");
        sb.Append("<title>").Append(SafeText.Html(model.Title)).AppendLine("</title>");
        sb.Append("<style>").Append(Style).AppendLine("</style></head><body>");
        sb.Append("<h1>").Append(SafeText.Html(model.Title)).AppendLine("</h1>");
        foreach (var block in model.Blocks)
        {
            switch (block)
            {
                case Heading h:
                    var tag = h.Level >= 3 ? "h3" : "h2";
                    sb.Append('<').Append(tag).Append('>').Append(SafeText.Html(h.Text)).Append("</").Append(tag).AppendLine(">");
                    break;
                case Paragraph p:
                    sb.Append("<p>").Append(SafeText.Html(p.Text, MaxText)).AppendLine("</p>");
                    break;
                case BulletList l:
                    sb.AppendLine("<ul>");
                    foreach (var item in l.Items) sb.Append("<li>").Append(SafeText.Html(item, MaxText)).AppendLine("</li>");
                    sb.AppendLine("</ul>");
                    break;
                case Preformatted pre:
                    sb.Append("<pre>").AppendJoin("\n", pre.Lines.Select(line => SafeText.Html(line, MaxText))).AppendLine("</pre>");
                    break;
                case Table t:
                    WriteTable(sb, t.WithoutEmptyColumns());
                    break;
                case Figure f:
                    sb.Append("<figure><h3>").Append(SafeText.Html(f.Title)).AppendLine("</h3>");
                    sb.Append("<img src=\"").Append(ImageSource(f.Png, image)).Append("\" alt=\"").Append(SafeText.Html(f.Title)).AppendLine("\">");
                    sb.Append("<figcaption>").Append(SafeText.Html(f.Caption, MaxText)).Append(" (<a href=\"").Append(SafeText.Html(f.Svg)).AppendLine("\">SVG</a> beside the report)</figcaption></figure>");
                    break;
            }
        }
        sb.AppendLine("</body></html>");
        return sb.ToString();
    }

    /// <summary>A data URI of the PNG when its bytes are at hand and small enough, else its relative path (our own slug).</summary>
    private static string ImageSource(string png, Func<string, byte[]?>? image)
    {
        var bytes = image?.Invoke(png);
        return bytes is { Length: > 0 } && bytes.Length <= MaxEmbeddedBytes
            // Broken into lines (URL parsing drops newlines), so no line of the page is megabytes long.
            ? "data:image/png;base64," + Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks).ReplaceLineEndings("\n")
            : SafeText.Html(png);
    }

    private static void WriteTable(StringBuilder sb, Table t)
    {
        var collapse = t.Rows.Count > CollapseRows;
        if (collapse)
            sb.Append("<details><summary>").Append(t.Rows.Count.ToString(CultureInfo.InvariantCulture))
              .Append(" rows: ").Append(SafeText.Html(string.Join(", ", t.Header.Take(4)))).Append(t.Header.Count > 4 ? " ..." : "").AppendLine("</summary>");
        sb.AppendLine("<div class=\"tw\"><table><thead><tr>");
        foreach (var c in t.Header) sb.Append("<th>").Append(SafeText.Html(c)).Append("</th>");
        sb.AppendLine("</tr></thead><tbody>");
        foreach (var row in t.Rows)
        {
            sb.Append("<tr>");
            foreach (var c in row) sb.Append(IsNumber(c) ? "<td class=\"num\">" : "<td>").Append(SafeText.Html(c)).Append("</td>");
            sb.AppendLine("</tr>");
        }
        sb.AppendLine("</tbody></table></div>");
        if (collapse) sb.AppendLine("</details>");
        if (t.Note is not null) sb.Append("<p class=\"note\">").Append(SafeText.Html(t.Note, MaxText)).AppendLine("</p>");
    }

    /// <summary>Numbers (with thousands separators, a currency sign or a percent sign) are right-aligned.</summary>
    private static bool IsNumber(string s)
    {
        var t = s.Trim().TrimStart('$').TrimEnd('%');
        return t.Length > 0 && double.TryParse(t, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _);
    }
}
