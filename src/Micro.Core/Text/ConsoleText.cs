using System.Text;

namespace Micro.Core.Text;

/// <summary>
/// Strings read from files (device names, model ids, file names, field values) are untrusted: a terminal acts on
/// ESC, BEL and the other control characters they may hold. Every such string passes through here before it reaches
/// the console, an error message or a report.
/// </summary>
public static class ConsoleText
{
    /// <summary>C0 controls other than tab and newline, DEL, and the C1 range 0x80-0x9F (CSI, OSC ...).</summary>
    public static bool IsUnsafe(char c) => c is < ' ' and not '\t' and not '\n' or '\u007f' or >= '\u0080' and <= '\u009f';

    /// <summary>Removes every unsafe control character; tab and newline stay.</summary>
    public static string Clean(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        if (!s.AsSpan().ContainsAnyInRange('\0', '\u001f') && !s.AsSpan().ContainsAnyInRange('\u007f', '\u009f')) return s;
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
