using System.Globalization;
using Micro.Core.Ceilings;
using Micro.Core.Results;
using Micro.Core.Text;
using Micro.Reports.Tables;
using Spectre.Console;

namespace Micro.Cli.Output;

/// <summary>
/// The point tables printed at the end of a run: one compact table per (suite, backend, device), one row per point,
/// fitting <see cref="CliConsole.Width"/> columns. The suite, backend and device are said once in the table's title;
/// the columns are the suite's own (ResultColumns, shown only when the records have them) plus one short flags cell.
/// Every string from results loses its control characters and is escaped for Spectre markup; no cell wraps.
/// </summary>
public static class ResultsTable
{
    /// <summary>ResultColumns said once in the title (suite, backend, device) or folded into <see cref="Flags"/> (note).</summary>
    private static readonly HashSet<string> NotPerRow = new(["suite", "backend", "device", "note"], StringComparer.Ordinal);

    /// <summary>What a point is, in a few words: a ceiling candidate, noisy (CV above 10%), busy machine, quick run, its label.</summary>
    public static readonly ResultColumn Flags = new("flags", r => string.Join(" ", FlagsOf(r)),
        "flags: candidate = may become a ceiling; noisy = CV > 10%; busy = measured on a busy machine; quick = --quick point", _ => true);

    /// <summary>The console's columns: ResultColumns less the per-row repetition, plus flags.</summary>
    public static readonly IReadOnlyList<ResultColumn> ConsoleColumns = [.. ResultColumns.All.Where(c => !NotPerRow.Contains(c.Header)), Flags];

    /// <summary>The columns and the caption a table of these records gets.</summary>
    public static (IReadOnlyList<ResultColumn> Columns, string Caption) Shape(IReadOnlyList<MeasurementRecord> records) => ResultColumns.Shape(records, ConsoleColumns);

    /// <param name="title">Said before each table's title (e.g. "imported BabelStream results").</param>
    /// <param name="title">Said before each table's title (e.g. "imported BabelStream results").</param>
    public static void Write(IAnsiConsole console, IReadOnlyList<MeasurementRecord> records, string? title = null)
    {
        if (records.Count == 0) { console.WriteLine("no points measured"); return; }
        foreach (var group in records.GroupBy(r => (r.Suite, r.Backend, r.Device)))
        {
            var rows = group.ToList();
            var (columns, caption) = Shape(rows);
            // A flag every point carries (a quick run, a busy machine) is said once, in the title.
            var common = rows.Select(FlagsOf).Aggregate((a, b) => a.Intersect(b).ToList());
            var heading = $"{(title is null ? "" : title + ": ")}{group.Key.Suite} {group.Key.Backend} on {group.Key.Device}: {rows.Count} point(s)" +
                          (common.Count > 0 ? $", all {string.Join(", ", common)}" : "");
            console.Write(FittedTable.Build(console, heading, columns.Select(c => c.Header).ToList(),
                rows.Select(r => columns.Select(c => c == Flags ? string.Join(" ", FlagsOf(r).Except(common)) : c.Value(r)).Select(v => v.Length > 0 ? v : "-").ToList())));
            if (caption.Length > 0) console.Write(new Paragraph(ConsoleText.OneLine(caption) + "\n"));
        }
    }

    private static List<string> FlagsOf(MeasurementRecord r)
    {
        var flags = new List<string>();
        if (CeilingsBuilder.IsCandidate(r)) flags.Add("candidate");
        if (r.Time.Cv > CeilingsBuilder.NoisyCv) flags.Add("noisy");
        if (CeilingsBuilder.IsBusy(r)) flags.Add("busy");
        if (CeilingsBuilder.IsQuick(r)) flags.Add("quick");
        if (r.Label is { Length: > 0 } label) flags.Add(label);
        return flags;
    }

    public static string Num(double v) => ResultColumns.Num(v) is { Length: > 0 } s ? s : "-";

    public static string Percent(double? fraction) => fraction is { } f && double.IsFinite(f) ? (100 * f).ToString("0.0", CultureInfo.InvariantCulture) : "-";
}
