using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using CsvHelper.TypeConversion;

namespace Micro.Core.Text;

/// <summary>
/// CSV formula injection (OWASP "CSV Injection"): a spreadsheet runs a text cell that starts with '=', '+', '-', '@',
/// tab or carriage return as a formula. Such a text cell gets a leading single quote; a number (a negative number
/// starts with '-') stays as it is. Every CSV Micro writes goes through <see cref="CreateWriter"/>.
/// </summary>
public static class CsvText
{
    public static string? Neutralize(string? cell)
    {
        // Control characters (ESC, BEL ...) and bidi controls from file names and ids never reach a CSV cell.
        // (CR stays: a quoted cell may hold a line break.)
        if (cell is not null && cell.Any(c => c != '\r' && ConsoleText.IsUnsafe(c)))
            cell = new string(cell.Where(c => c == '\r' || !ConsoleText.IsUnsafe(c)).ToArray());
        if (string.IsNullOrEmpty(cell) || cell[0] is not ('=' or '+' or '-' or '@' or '\t' or '\r')) return cell;
        return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? cell : "'" + cell;
    }

    /// <summary>A CsvHelper writer (invariant culture) whose every string cell is neutralized; numbers are written as numbers.</summary>
    public static CsvWriter CreateWriter(TextWriter writer)
    {
        var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture));
        csv.Context.TypeConverterCache.AddConverter<string>(new NeutralizingStringConverter());
        // Micro's CSV conventions, as its JSON: booleans true/false, times ISO 8601 (not the culture's "True", "12/06/2026 18:55:21 +00:00").
        csv.Context.TypeConverterCache.AddConverter<bool>(new LowerCaseBooleanConverter());
        csv.Context.TypeConverterCache.AddConverter<DateTimeOffset>(new Iso8601Converter());
        csv.Context.TypeConverterCache.AddConverter<DateTime>(new Iso8601Converter());
        // A figure that is not finite is an empty cell, as it is null in the JSON files (never "NaN" or "∞").
        csv.Context.TypeConverterCache.AddConverter<double>(new FiniteDoubleConverter());
        return csv;
    }

    private sealed class FiniteDoubleConverter : DoubleConverter
    {
        public override string? ConvertToString(object? value, IWriterRow row, MemberMapData memberMapData) =>
            value is double d && !double.IsFinite(d) ? "" : base.ConvertToString(value, row, memberMapData);
    }

    private sealed class LowerCaseBooleanConverter : BooleanConverter
    {
        public override string? ConvertToString(object? value, IWriterRow row, MemberMapData memberMapData) =>
            value is bool b ? (b ? "true" : "false") : base.ConvertToString(value, row, memberMapData);
    }

    private sealed class Iso8601Converter : DefaultTypeConverter
    {
        public override string? ConvertToString(object? value, IWriterRow row, MemberMapData memberMapData) => value switch
        {
            DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
            DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
            _ => base.ConvertToString(value, row, memberMapData),
        };
    }

    private sealed class NeutralizingStringConverter : StringConverter
    {
        public override string? ConvertToString(object? value, IWriterRow row, MemberMapData memberMapData) =>
            Neutralize(base.ConvertToString(value, row, memberMapData));
    }
}
