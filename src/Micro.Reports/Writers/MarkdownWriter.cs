using System.Text;
using Micro.Reports.Text;

namespace Micro.Reports.Writers;

public static class MarkdownWriter
{
    private const int MaxText = 2000;

    public static string Write(ReportModel model)
    {
        var sb = new StringBuilder();
        sb.Append("# ").AppendLine(SafeText.Markdown(model.Title)).AppendLine();
        foreach (var block in model.Blocks)
        {
            switch (block)
            {
                case Heading h:
                    sb.Append(h.Level >= 3 ? "### " : "## ").AppendLine(SafeText.Markdown(h.Text)).AppendLine();
                    break;
                case Paragraph p:
                    sb.AppendLine(SafeText.Markdown(p.Text, MaxText)).AppendLine();
                    break;
                case BulletList l:
                    foreach (var item in l.Items) sb.Append("- ").AppendLine(SafeText.Markdown(item, MaxText));
                    sb.AppendLine();
                    break;
                case Preformatted pre:
                    // Inside a fence nothing is Markdown; only a run of backticks could close it early.
                    sb.AppendLine("```");
                    foreach (var line in pre.Lines) sb.AppendLine(SafeText.Bounded(line, MaxText).Replace('`', '\''));
                    sb.AppendLine("```").AppendLine();
                    break;
                case Table full:
                    var t = full.WithoutEmptyColumns();
                    sb.Append("| ").AppendJoin(" | ", t.Header.Select(c => SafeText.Markdown(c))).AppendLine(" |");
                    sb.Append('|').AppendJoin("|", t.Header.Select(_ => "---")).AppendLine("|");
                    foreach (var row in t.Rows)
                        sb.Append("| ").AppendJoin(" | ", row.Select(c => SafeText.Markdown(c))).AppendLine(" |");
                    if (t.Note is not null) sb.AppendLine().AppendLine(SafeText.Markdown(t.Note, MaxText));
                    sb.AppendLine();
                    break;
                case Figure f:
                    // File names are our own slugs (letters, digits, '-'), safe in a link target.
                    sb.Append("### ").AppendLine(SafeText.Markdown(f.Title)).AppendLine();
                    sb.Append("![").Append(SafeText.Markdown(f.Title)).Append("](").Append(f.Png).AppendLine(")").AppendLine();
                    sb.Append(SafeText.Markdown(f.Caption, MaxText)).Append(" (SVG: [").Append(f.Svg).Append("](").Append(f.Svg).AppendLine("))").AppendLine();
                    break;
            }
        }
        return sb.ToString();
    }
}
