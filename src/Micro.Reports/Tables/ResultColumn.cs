using Micro.Core.Results;

namespace Micro.Reports.Tables;

/// <summary>
/// One column of a results table, in BenchmarkDotNet's IColumn manner: it is shown only when the records have it
/// (<see cref="IsAvailable"/>), and it may add a footnote to the caption (units, which figure BabelStream prints).
/// </summary>
/// <param name="Value">The cell of one record: "" where this record has no such figure.</param>
/// <param name="When">Availability other than "some record has a value" (the suite column: only when suites differ).</param>
public sealed record ResultColumn(string Header, Func<MeasurementRecord, string> Value, string? Footnote = null,
    Func<IReadOnlyList<MeasurementRecord>, bool>? When = null)
{
    public bool IsAvailable(IReadOnlyList<MeasurementRecord> records) => When?.Invoke(records) ?? records.Any(r => Value(r).Length > 0);
}
