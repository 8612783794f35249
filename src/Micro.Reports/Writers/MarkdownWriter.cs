using System.Text;
using Micro.Reports.Text;

namespace Micro.Reports.Writers;

public static class MarkdownWriter
{
    public static string Write(ReportModel model)
    {
        var sb = new StringBuilder();
        sb.Append("# ").AppendLine(SafeText.Markdown(model.Title)).AppendLine();
        foreach (var block in model.Blocks)
        {
            switch (block)
            {
                case Heading h:
                    sb.Append("## ").AppendLine(SafeText.Markdown(h.Text)).AppendLine();
                    break;
                case Paragraph p:
                    sb.AppendLine(SafeText.Markdown(p.Text, 2000)).AppendLine();
                    break;
                case Table t:
                    sb.Append("| ").AppendJoin(" | ", t.Header.Select(c => SafeText.Markdown(c))).AppendLine(" |");
                    sb.Append('|').AppendJoin("|", t.Header.Select(_ => "---")).AppendLine("|");
                    foreach (var row in t.Rows)
                        sb.Append("| ").AppendJoin(" | ", row.Select(c => SafeText.Markdown(c))).AppendLine(" |");
                    if (t.Note is not null) sb.AppendLine().AppendLine(SafeText.Markdown(t.Note, 2000));
                    sb.AppendLine();
                    break;
                case Figure f:
                    // File names are our own slugs (letters, digits, '-'), safe in a link target.
                    sb.Append("### ").AppendLine(SafeText.Markdown(f.Title)).AppendLine();
                    sb.Append("![").Append(SafeText.Markdown(f.Title)).Append("](").Append(f.Png).AppendLine(")").AppendLine();
                    sb.Append(SafeText.Markdown(f.Caption, 2000)).Append(" (SVG: [").Append(f.Svg).Append("](").Append(f.Svg).AppendLine("))").AppendLine();
                    break;
            }
        }
        return sb.ToString();
    }
}
