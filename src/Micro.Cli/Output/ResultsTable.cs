using System.Globalization;
using Micro.Core.Ceilings;
using Micro.Core.Results;
using Micro.Core.Text;
using Micro.Reports.Tables;
using Spectre.Console;

namespace Micro.Cli.Output;

/// <summary>
/// The summary tables printed at the end of a run. The columns are the suite's own (ResultColumns, shown only when the
/// records have them); every string from results loses its control characters and is escaped for Spectre markup.
/// </summary>
public static class ResultsTable
{
    /// <summary>The columns and the caption a table of these records gets.</summary>
    public static (IReadOnlyList<ResultColumn> Columns, string Caption) Shape(IReadOnlyList<MeasurementRecord> records) => ResultColumns.Shape(records);

    public static void Write(IAnsiConsole console, IReadOnlyList<MeasurementRecord> records, string? title = null)
    {
        if (records.Count == 0) { console.WriteLine("no points measured"); return; }
        var (columns, caption) = Shape(records);
        var table = new Table().Border(TableBorder.Simple);
        if (title is not null) table.Title(Markup.Escape(ConsoleText.OneLine(title)));
        foreach (var col in columns) table.AddColumn(new TableColumn(Markup.Escape(col.Header)));
        if (caption.Length > 0) table.Caption(Markup.Escape(caption));
        foreach (var r in records) table.AddRow(columns.Select(c => Cell(c.Value(r) is { Length: > 0 } v ? v : "-")));
        console.Write(table);
    }

    public static void WriteCeilings(IAnsiConsole console, IReadOnlyList<DeviceCeilings> devices)
    {
        var table = new Table().Border(TableBorder.Simple).Title("ceilings (best verified point per device)");
        foreach (var col in new[] { "device", "ceiling", "value", "unit", "from", "datasheet", "fraction" })
            table.AddColumn(col);
        foreach (var d in devices)
            foreach (var c in d.Ceilings)
                table.AddRow(Cell(d.Device), Cell(c.Name), Cell(Num(c.Value)), Cell(c.Unit), Cell($"{c.Suite}/{c.Case} on {c.Backend}"),
                    Cell(c.Datasheet is { } ds ? Num(ds) : "-"), Cell(c.FractionOfDatasheet is { } f ? f.ToString("P1", CultureInfo.InvariantCulture) : "-"));
        if (table.Rows.Count == 0) { console.WriteLine("no ceilings: no verified point was a ceiling candidate"); return; }
        console.Write(table);
    }

    private static string Num(double v) => ResultColumns.Num(v) is { Length: > 0 } s ? s : "-";

    /// <summary>Strings from result files: one line, no control characters, no Spectre markup.</summary>
    public static Markup Cell(string s) => new(Markup.Escape(ConsoleText.OneLine(s)));
}
