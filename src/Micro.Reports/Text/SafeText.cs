using System.Text;
using Micro.Core.Text;

namespace Micro.Reports.Text;

/// <summary>
/// Every string that comes from a result file is untrusted: bounded in length, control characters removed,
/// then escaped for the format it lands in.
/// </summary>
public static class SafeText
{
    public const int MaxCell = 160;

    /// <summary>Cuts a string to at most <paramref name="max"/> characters (marking the cut), drops control characters and turns line breaks into spaces (<see cref="ConsoleText.OneLine"/>).</summary>
    public static string Bounded(string? s, int max = MaxCell)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var line = ConsoleText.OneLine(s.Length > max ? s[..max] : s);
        return s.Length > max ? line + "…" : line;
    }

    /// <summary>Text for HTML element content and quoted attribute values.</summary>
    public static string Html(string? s, int max = MaxCell)
    {
        var b = Bounded(s, max);
        var sb = new StringBuilder(b.Length + 16);
        foreach (var c in b)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                '`' => "&#96;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>
    /// Text for a Markdown table cell or paragraph: Markdown punctuation backslash-escaped, pipes escaped so a cell
    /// cannot split a table, and HTML metacharacters as entities so renderers that allow inline HTML show text.
    /// </summary>
    public static string Markdown(string? s, int max = MaxCell)
    {
        var b = Bounded(s, max);
        var sb = new StringBuilder(b.Length + 16);
        // Block syntax only starts a line (cells and paragraphs are one line here): escape it there alone.
        if (b.Length > 0 && b[0] is '#' or '-' or '+' or '=') sb.Append('\\');
        foreach (var c in b)
        {
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                // Inline syntax anywhere; with brackets escaped no link or image can form, so '(' ')' '!' stay as they are.
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '~':
                    sb.Append('\\').Append(c); break;
                default: sb.Append(c); break;
            }
        }
        // "1. " or "1)" then a space at the start would begin an ordered list ("0.45" would not).
        return System.Text.RegularExpressions.Regex.Replace(sb.ToString(), @"^(\d+)([.)])(?=\s|$)", "$1\\$2");
    }

    /// <summary>A file-name-safe slug (letters, digits, '-') for plot files named after untrusted case names.</summary>
    public static string Slug(string? s, int max = 48)
    {
        var sb = new StringBuilder();
        foreach (var c in Bounded(s, max))
            sb.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        var slug = sb.ToString().Trim('-');
        while (slug.Contains("--", StringComparison.Ordinal)) slug = slug.Replace("--", "-", StringComparison.Ordinal);
        return slug.Length == 0 ? "x" : slug;
    }
}
