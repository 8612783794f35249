using System.Globalization;
using System.Text;
using Micro.Reports.Text;

namespace Micro.Reports.Writers;

/// <summary>A self-contained static page: no scripts, inline style only, images by relative file name.</summary>
public static class HtmlWriter
{
    /// <summary>The one Content-Security-Policy of every Micro report: no script may run even if escaping were ever bypassed.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

    private const int MaxText = 2000;

    private const string Style =
        "body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}" +
        "table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}" +
        "th{background:#f0f0f0}td.num{text-align:right}img{max-width:100%;border:1px solid #ddd}figure{margin:2em 0}figcaption{font-size:13px;color:#444}" +
        "p.note{font-size:13px;color:#555}pre{background:#f6f6f6;padding:1em;white-space:pre-wrap}";

    public static string Write(ReportModel model)
    {
        var sb = new StringBuilder();
        sb.AppendLine("<!DOCTYPE html>");
        sb.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
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
                    sb.AppendLine("<table><thead><tr>");
                    foreach (var c in t.Header) sb.Append("<th>").Append(SafeText.Html(c)).Append("</th>");
                    sb.AppendLine("</tr></thead><tbody>");
                    foreach (var row in t.Rows)
                    {
                        sb.Append("<tr>");
                        foreach (var c in row) sb.Append(IsNumber(c) ? "<td class=\"num\">" : "<td>").Append(SafeText.Html(c)).Append("</td>");
                        sb.AppendLine("</tr>");
                    }
                    sb.AppendLine("</tbody></table>");
                    if (t.Note is not null) sb.Append("<p class=\"note\">").Append(SafeText.Html(t.Note, MaxText)).AppendLine("</p>");
                    break;
                case Figure f:
                    sb.Append("<figure><h3>").Append(SafeText.Html(f.Title)).AppendLine("</h3>");
                    sb.Append("<a href=\"").Append(SafeText.Html(f.Svg)).Append("\"><img src=\"").Append(SafeText.Html(f.Png))
                      .Append("\" alt=\"").Append(SafeText.Html(f.Title)).AppendLine("\"></a>");
                    sb.Append("<figcaption>").Append(SafeText.Html(f.Caption, MaxText)).Append(" (<a href=\"").Append(SafeText.Html(f.Svg)).AppendLine("\">SVG</a>)</figcaption></figure>");
                    break;
            }
        }
        sb.AppendLine("</body></html>");
        return sb.ToString();
    }

    /// <summary>Numbers (with thousands separators, a currency sign or a percent sign) are right-aligned.</summary>
    private static bool IsNumber(string s)
    {
        var t = s.Trim().TrimStart('$').TrimEnd('%');
        return t.Length > 0 && double.TryParse(t, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _);
    }
}
