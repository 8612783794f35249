using System.Globalization;
using Micro.Core;
using Micro.Core.Ceilings;
using Micro.Core.Results;
using Spectre.Console;

namespace Micro.Cli.Output;

/// <summary>The summary tables printed at the end of a run (every string from results is escaped).</summary>
public static class ResultsTable
{
    public static void Write(IAnsiConsole console, IReadOnlyList<MeasurementRecord> records, string? title = null)
    {
        if (records.Count == 0) { console.WriteLine("no points measured"); return; }
        var table = new Table().Border(TableBorder.Simple);
        if (title is not null) table.Title(Markup.Escape(title));
        var oneSuite = records.Select(r => r.Suite).Distinct().Count() == 1;
        foreach (var col in new[] { "suite", "case", "dtype", "backend", "device", "working set", "GB/s median", "GB/s best*", "CV %", "n", "verified", "note" })
            if (!(oneSuite && col == "suite")) table.AddColumn(new TableColumn(Markup.Escape(col)));
        table.Caption("* best: from the minimum time, the figure BabelStream prints; GB/s = 1e9 B/s, BabelStream byte weights");
        foreach (var r in records)
        {
            var ws = r.Parameters.TryGetValue("working_set_bytes", out var w) && long.TryParse(w, CultureInfo.InvariantCulture, out var wb) ? Units.FormatBytes(wb)
                   : r.Parameters.TryGetValue("array_size", out var a) ? "array " + a : "";
            var cells = new List<Markup>
            {
                Cell(r.Suite), Cell(r.Case), Cell(r.DType), Cell(r.Backend), Cell(r.Device), Cell(ws),
                Cell(Num(r.Bandwidth?.Median)), Cell(Num(r.Bandwidth?.Best)),
                Cell(double.IsFinite(r.Time.Cv) ? (100 * r.Time.Cv).ToString("0.0", CultureInfo.InvariantCulture) : "-"),
                Cell(r.Time.Count.ToString(CultureInfo.InvariantCulture)),
                Cell(r.Verification.Passed ? (r.Verification.Checked > 0 ? "ok" : "n/a") : $"FAILED ({r.Verification.Wrong} wrong)"),
                Cell(r.Ceiling is not null ? $"ceiling candidate: {r.Ceiling}" : r.Label ?? ""),
            };
            if (oneSuite) cells.RemoveAt(0);
            table.AddRow(cells);
        }
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

    private static string Num(double? v) => v is { } x && double.IsFinite(x) ? x.ToString(x >= 100 ? "0.0" : "0.000", CultureInfo.InvariantCulture) : "-";

    private static Markup Cell(string s) => new(Markup.Escape(s));
}
