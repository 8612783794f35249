using System.Globalization;
using Micro.Core;
using Micro.Core.Results;

namespace Micro.Reports.Tables;

/// <summary>
/// Every column a results table may show, in order: the console's tables (Micro.Cli ResultsTable) and `micro report`'s
/// measured points keep those the records have, so each suite's table has its own columns, units and caption.
/// </summary>
public static class ResultColumns
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static readonly IReadOnlyList<ResultColumn> All =
    [
        new("suite", r => r.Suite, When: records => records.Select(r => r.Suite).Distinct().Count() > 1),
        new("case", r => r.Case),
        new("dtype", r => r.DType),
        new("backend", r => r.Backend),
        new("device", r => r.Device),
        new("rank", r => r.Rank?.ToString(C) ?? ""),
        new("working set", WorkingSet),
        new("size", Size),
        new("GB/s median", r => SuiteShapes.Has(r, Figures.Bandwidth) ? Num(r.Bandwidth?.Median) : "", "GB/s = 1e9 B/s"),
        new("GB/s best*", r => r.Suite == "memory" ? Num(r.Bandwidth?.Best) : "",
            "* best: from the minimum time, the figure BabelStream prints (BabelStream byte weights)"),
        new("TFLOP/s median", r => SuiteShapes.Has(r, Figures.Compute) ? Num(r.Compute?.Median) : "", "TFLOP/s = 1e12 FLOP/s"),
        new("TFLOP/s best", r => SuiteShapes.Has(r, Figures.Compute) ? Num(r.Compute?.Best) : ""),
        new("us median", r => SuiteShapes.Has(r, Figures.Latency) ? Num(r.Time.Median * 1e6) : "", "us = microseconds per iteration (median)"),
        new("us min", r => SuiteShapes.Has(r, Figures.Latency) ? Num(r.Time.Min * 1e6) : ""),
        new("CV %", r => double.IsFinite(r.Time.Cv) ? (100 * r.Time.Cv).ToString("0.0", C) : "-"),
        new("n", r => r.Time.Count.ToString(C)),
        new("verified", r => r.Verification.Passed ? (r.Verification.Checked > 0 ? "ok" : "n/a") : $"FAILED ({r.Verification.Wrong} wrong)"),
        new("note", r => r.Ceiling is not null ? $"ceiling candidate: {r.Ceiling}" : r.Label ?? ""),
    ];

    /// <summary>The console's columns and, last, the record's parameters (for report.md / report.html).</summary>
    public static readonly IReadOnlyList<ResultColumn> Report = [.. All, new("parameters", Parameters)];

    /// <summary>The columns of <paramref name="columns"/> these records have, and the caption their footnotes make.</summary>
    public static (IReadOnlyList<ResultColumn> Columns, string Caption) Shape(IReadOnlyList<MeasurementRecord> records, IReadOnlyList<ResultColumn>? columns = null)
    {
        var shown = (columns ?? All).Where(c => c.IsAvailable(records)).ToList();
        return (shown, string.Join("; ", shown.Select(c => c.Footnote).Where(f => f is not null)));
    }

    private static string Parameters(MeasurementRecord r) =>
        string.Join(" ", r.DescribedParameters().Take(12).Select(p => $"{p.Key}={p.Value}"));

    private static string WorkingSet(MeasurementRecord r) =>
        r.Stream?.WorkingSetBytes is { } w ? Units.FormatBytes(w)
        // BabelStream imports without an element count keep its printed array size.
        : r.Parameters.TryGetValue("array_size", out var a) ? "array " + a : "";

    private static string Size(MeasurementRecord r) => (r.Collective?.SizeBytes ?? r.Copy?.SizeBytes) is { } b ? Units.FormatBytes(b) : "";

    public static string Num(double? v) => v is { } x && double.IsFinite(x) ? x.ToString(Math.Abs(x) >= 100 ? "0.0" : "0.000", C) : "";
}
