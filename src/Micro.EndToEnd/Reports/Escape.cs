using System.Net;
using System.Text;

namespace Micro.EndToEnd.Reports;

/// <summary>Every string that came from an input file passes through here before it reaches HTML or Markdown.</summary>
public static class Escape
{
    public static string Html(string? s) => WebUtility.HtmlEncode(s ?? "");

    /// <summary>
    /// Backslash-escapes the characters that make Markdown emphasis, code, links, tables, headings or raw HTML
    /// (CommonMark allows a backslash before any ASCII punctuation) and flattens newlines.
    /// </summary>
    public static string Markdown(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var b = new StringBuilder(s.Length + 8);
        foreach (var c in s)
        {
            if (c is '\r' or '\n') { b.Append(' '); continue; }
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '|' or '#' or '~' or '!' or '&')
                b.Append('\\');
            b.Append(c);
        }
        return b.ToString();
    }
}
