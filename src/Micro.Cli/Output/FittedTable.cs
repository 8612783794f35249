using Micro.Core.Text;
using Spectre.Console;

namespace Micro.Cli.Output;

/// <summary>
/// Micro's one console table style (every verb but the nccl-tests table): no box, a rule under the header, one space
/// between columns, and cells that never wrap. Columns are sized here, not by Spectre: when the natural widths do not
/// fit the console, the widest column loses a character at a time and its cells end in an ellipsis, so one point is
/// always one line. Cells lose control characters and are escaped for Spectre markup.
/// </summary>
public static class FittedTable
{
    private const int MinColumn = 4;

    public static Table Build(IAnsiConsole console, string title, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var cells = rows.Select(r => r.Select(ConsoleText.OneLine).ToArray()).ToList();
        var heads = headers.Select(ConsoleText.OneLine).ToArray();
        var widths = Widths(heads, cells, console.Profile.Width);
        var table = new Table { Border = TableBorder.Simple, Expand = false };
        table.Title(Markup.Escape(Cut(ConsoleText.OneLine(title), console.Profile.Width)));
        for (var i = 0; i < heads.Length; i++)
            table.AddColumn(new TableColumn(Markup.Escape(Cut(heads[i], widths[i]))).Width(widths[i]).NoWrap().PadLeft(0).PadRight(1));
        foreach (var row in cells) table.AddRow(row.Select((c, i) => (Spectre.Console.Rendering.IRenderable)new Text(Cut(c, widths[i]))).ToArray());
        return table;
    }

    /// <summary>Column widths whose table (edges, separators and padding included) fits <paramref name="width"/>.</summary>
    public static int[] Widths(IReadOnlyList<string> headers, IReadOnlyList<string[]> rows, int width)
    {
        var n = headers.Count;
        var budget = width - Overhead(n);
        var widths = Enumerable.Range(0, n).Select(i => rows.Select(r => i < r.Length ? r[i].Length : 0).Append(headers[i].Length).Max()).ToArray();
        while (widths.Sum() > budget)
        {
            var widest = Array.IndexOf(widths, widths.Max());
            if (widths[widest] <= MinColumn) break;
            widths[widest]--;
        }
        return widths;
    }

    /// <summary>What Spectre adds around n columns: the two edges, the n - 1 separators and one space of padding each.</summary>
    public static int Overhead(int columns) => 2 + (columns - 1) + columns;

    public static string Cut(string s, int width) => s.Length <= width ? s : width <= 1 ? s[..width] : s[..(width - 1)] + "…";
}
