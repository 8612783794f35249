using System.Text;

namespace Micro.Core.Text;

/// <summary>
/// Strings read from files (device names, model ids, file names, field values) are untrusted: a terminal acts on
/// ESC, BEL and the other control characters they may hold. Every such string passes through here before it reaches
/// the console, an error message or a report.
/// </summary>
public static class ConsoleText
{
    /// <summary>C0 controls other than tab and newline, DEL, the C1 range 0x80-0x9F (CSI, OSC ...), and the Unicode
    /// bidirectional controls (U+200E/F marks, U+061C, U+202A-202E embeddings and overrides, U+2066-2069 isolates), which
    /// make a file name or model id read differently from what it is ("Trojan Source").</summary>
    public static bool IsUnsafe(char c) => c is < ' ' and not '\t' and not '\n' or '\u007f' or >= '\u0080' and <= '\u009f' || IsBidiControl(c);

    public static bool IsBidiControl(char c) => c is '\u200e' or '\u200f' or '\u061c' or >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';

    /// <summary>Removes every unsafe control character; tab and newline stay.</summary>
    public static string Clean(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var span = s.AsSpan();
        if (!span.ContainsAnyInRange('\0', '\u001f') && !span.ContainsAnyInRange('\u007f', '\u009f') && !span.ContainsAnyInRange('\u200e', '\u200f')
            && !span.ContainsAnyInRange('\u202a', '\u202e') && !span.ContainsAnyInRange('\u2066', '\u2069') && !span.Contains('\u061c')) return s;
        var b = new StringBuilder(s.Length);
        foreach (var c in s)
            if (!IsUnsafe(c)) b.Append(c);
        return b.ToString();
    }

    /// <summary>
    /// <see cref="Clean"/>, and tab, CR, newline and the Unicode line/paragraph separators become spaces: a value from
    /// a file never breaks a console line or a table row.
    /// </summary>
    public static string OneLine(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var b = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (c is '\t' or '\r' or '\n' or '\u2028' or '\u2029') b.Append(' ');
            else if (!IsUnsafe(c)) b.Append(c);
        }
        return b.ToString();
    }
}
