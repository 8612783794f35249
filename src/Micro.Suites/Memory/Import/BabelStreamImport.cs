using System.Globalization;
using Micro.Core.Input;
using Micro.Core.Results;
using Micro.Core.Statistics;

namespace Micro.Suites.Memory.Import;

/// <summary>
/// Reads BabelStream output, its text table ("Function MBytes/sec Min (sec) Max Average") or its --csv form
/// (function,num_times,n_elements,sizeof,max_mbytes_per_sec,min_runtime,max_runtime,avg_runtime), into records.
/// The printed rate and times are kept exactly: as numbers, and as the printed text in Parameters.
/// BabelStream reports min, max and average time, no median: median fields are NaN, never invented.
/// </summary>
public static class BabelStreamImport
{
    public const string Backend = "babelstream";
    public const long MaxFileBytes = InputLimits.MaxBabelStreamBytes;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const double MiB = 1024.0 * 1024.0;

    public static IReadOnlyList<MeasurementRecord> Read(string path)
    {
        var lines = BoundedFile.ReadLines(path, MaxFileBytes).ToArray();
        var header = new Header();
        var records = new List<MeasurementRecord>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            if (IsTextTableHeader(line))
            {
                var mib = line.Contains("MiBytes", StringComparison.Ordinal);
                i = ReadTextRows(path, lines, i + 1, header, mib, records);
                continue;
            }
            if (line.StartsWith("function,", StringComparison.Ordinal))
            {
                i = ReadCsvRows(path, lines, i, header, records);
                continue;
            }
            header.Take(line, path, i + 1);
        }
        if (records.Count == 0)
            throw new InputException(path, null, "no BabelStream results found (expected a 'Function MBytes/sec Min (sec) Max Average' table or a --csv 'function,num_times,...' header)");
        return records;
    }

    private static bool IsTextTableHeader(string line) =>
        line.StartsWith("Function", StringComparison.Ordinal) && (line.Contains("MBytes/sec", StringComparison.Ordinal) || line.Contains("MiBytes/sec", StringComparison.Ordinal));

    /// <summary>Reads rows after the header until a blank or non-row line; returns the index of the last line consumed.</summary>
    private static int ReadTextRows(string path, string[] lines, int start, Header header, bool mib, List<MeasurementRecord> records)
    {
        var i = start;
        for (; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) break;
            var tok = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var where = $"line {i + 1}";
            if (tok.Length != 5) throw new InputException(path, where, $"expected 5 columns (Function MBytes/sec Min Max Average), found {tok.Length}");
            var sc = StreamCases.Find(tok[0]) ?? throw new InputException(path, where, $"unknown BabelStream function '{Trim(tok[0])}'");
            var rate = PrintedFigure.Rate(path, $"{where}: {(mib ? "MiBytes/sec" : "MBytes/sec")}", tok[1], mib ? MiB : 1e6);
            var (min, max, avg) = (Seconds(path, where, "Min (sec)", tok[2]), Seconds(path, where, "Max", tok[3]), Seconds(path, where, "Average", tok[4]));
            Ordered(path, where, ("Min (sec)", min, tok[2]), ("Max", max, tok[3]), ("Average", avg, tok[4]));
            var elemSize = header.ElementSize ?? throw new InputException(path, where, "no 'Precision: float|double' line before the table");
            long? arrayBytes = header.ArrayBytes;
            var bytes = arrayBytes is { } ab ? sc.BytesWeight * ab : 0;
            PrintedFigure.CheckDerivedRate(path, $"{where}: Max", bytes, max, tok[3]);
            records.Add(Make(path, i + 1, header, sc, elemSize, header.NumTimes, null, bytes,
                arrayBytes is null ? "unknown: no 'Array size' line" : $"BabelStream weight {sc.BytesWeight} x the printed array size ({header.ArraySizeText}), rounded as printed",
                rate, mib, tok[1], min, tok[2], max, tok[3], avg, tok[4]));
        }
        return i;
    }

    private static int ReadCsvRows(string path, string[] lines, int headerIndex, Header header, List<MeasurementRecord> records)
    {
        var columns = lines[headerIndex].Trim().Split(',').Select(c => c.Trim()).ToArray();
        string[] want = ["function", "num_times", "n_elements", "sizeof", "max_mbytes_per_sec", "min_runtime", "max_runtime", "avg_runtime"];
        var mib = columns.Length > 4 && columns[4] == "max_mibytes_per_sec";
        if (mib) want[4] = "max_mibytes_per_sec";
        if (!columns.SequenceEqual(want))
            throw new InputException(path, $"line {headerIndex + 1}", $"unexpected csv header (expected {string.Join(",", want)})");
        var i = headerIndex + 1;
        for (; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) break;
            var where = $"line {i + 1}";
            var tok = line.Split(',').Select(t => t.Trim()).ToArray();
            if (tok.Length != want.Length) throw new InputException(path, where, $"expected {want.Length} csv fields, found {tok.Length}");
            var sc = StreamCases.Find(tok[0]) ?? throw new InputException(path, where, $"unknown BabelStream function '{Trim(tok[0])}'");
            var numTimes = Integer(path, where, "num_times", tok[1]);
            var n = Integer(path, where, "n_elements", tok[2]);
            var size = Integer(path, where, "sizeof", tok[3]);
            if (size is not (4 or 8 or 2)) throw new InputException(path, where, $"sizeof must be 2, 4 or 8, found {size}");
            // Checked as a double before the long product can overflow.
            PrintedFigure.CheckBytes(path, $"{where}: n_elements", (double)n * size, $"{tok[2]} x {size} bytes");
            var rate = PrintedFigure.Rate(path, $"{where}: {want[4]}", tok[4], mib ? MiB : 1e6);
            var max = Seconds(path, where, "max_runtime", tok[6]);
            PrintedFigure.CheckDerivedRate(path, $"{where}: max_runtime", sc.BytesWeight * n * size, max, tok[6]);
            var (min, avg) = (Seconds(path, where, "min_runtime", tok[5]), Seconds(path, where, "avg_runtime", tok[7]));
            Ordered(path, where, ("min_runtime", min, tok[5]), ("max_runtime", max, tok[6]), ("avg_runtime", avg, tok[7]));
            records.Add(Make(path, i + 1, header, sc, (int)size, (int)Math.Min(numTimes, int.MaxValue), n, sc.BytesWeight * n * size,
                $"BabelStream weight {sc.BytesWeight} x n_elements x sizeof",
                rate, mib, tok[4], min, tok[5], max, tok[6], avg, tok[7]));
        }
        return i;
    }

    private static MeasurementRecord Make(string path, int line, Header h, StreamCase sc, int elemSize, int? numTimes, long? elements,
        long bytes, string bytesCounted, double rate, bool mib, string rateText, double min, string minText, double max, string maxText, double avg, string avgText)
    {
        var rateBytesPerSec = rate * (mib ? MiB : 1e6);
        var p = new Dictionary<string, string>
        {
            [mib ? "mibytes_per_sec" : "mbytes_per_sec"] = rateText,
            ["min_sec"] = minText, ["max_sec"] = maxText, ["avg_sec"] = avgText,
            ["source_file"] = Path.GetFileName(path), ["source_line"] = line.ToString(Inv),
        };
        if (h.Version is { } v) p["babelstream_version"] = v;
        if (h.Implementation is { } impl) p["implementation"] = impl;
        if (h.ArraySizeText is { } a) p["array_size"] = a;
        if (elements is null) p["kernel"] = sc.Label;
        if (h.Driver is { } d) p["driver"] = d;
        return new MeasurementRecord
        {
            Suite = MemorySuite.SuiteName, Case = sc.Id, Backend = Backend,
            Device = h.Device ?? $"unknown device (BabelStream {h.Implementation ?? "?"})",
            DType = elemSize switch { 4 => "float", 8 => "double", 2 => "half", _ => $"{elemSize}-byte" },
            Parameters = p, Bytes = bytes, BytesCounted = bytesCounted, Timer = "imported", Warmup = 0,
            Time = new SampleSummary(numTimes ?? 0, double.NaN, avg, min, max, double.NaN, double.NaN, double.NaN),
            Bandwidth = new Throughput("GB/s", double.NaN, rateBytesPerSec / 1e9, bytes > 0 && max > 0 ? bytes / max / 1e9 : double.NaN),
            Verification = Verification.NotApplicable("imported from BabelStream, which checks its own results"),
            Label = "imported from BabelStream: best = its MBytes/sec (from the min time); it reports no median",
        }.WithPoint(elements is { } n ? new Micro.Core.Results.Points.StreamParameters { Kernel = sc.Label, Elements = n, ArrayBytes = n * elemSize } : null);
    }

    /// <summary>The printed minimum, maximum and average of one kernel's times must be in that order: a row that says
    /// otherwise contradicts itself, and the record made of it could not be read back (RecordValidation).</summary>
    private static void Ordered(string path, string where, (string Field, double Value, string Text) min, (string Field, double Value, string Text) max,
        (string Field, double Value, string Text) avg)
    {
        if (min.Value > max.Value)
            throw new InputException(path, $"{where}: {min.Field}", $"'{Trim(min.Text)}' is above {max.Field} '{Trim(max.Text)}': the row contradicts itself");
        if (avg.Value < min.Value || avg.Value > max.Value)
            throw new InputException(path, $"{where}: {avg.Field}", $"'{Trim(avg.Text)}' is outside {min.Field} '{Trim(min.Text)}' .. {max.Field} '{Trim(max.Text)}': the row contradicts itself");
    }

    private static double Seconds(string path, string where, string field, string text) => PrintedFigure.Seconds(path, $"{where}: {field}", text);

    private static long Integer(string path, string where, string field, string text)
    {
        if (!long.TryParse(text, NumberStyles.Integer, Inv, out var v) || v <= 0)
            throw new InputException(path, $"{where}: {field}", $"expected a positive integer, found '{Trim(text)}'");
        return v;
    }

    private static string Trim(string s) => s.Length > 40 ? s[..40] + "..." : s;

    /// <summary>The "key: value" lines BabelStream prints before its table.</summary>
    private sealed class Header
    {
        public string? Version, Implementation, Device, Driver, ArraySizeText;
        public int? ElementSize, NumTimes;
        public long? ArrayBytes;

        public void Take(string line, string path, int lineNo)
        {
            if (Value(line, "Version:") is { } v) Version = v;
            else if (Value(line, "Implementation:") is { } impl) Implementation = impl;
            else if (Value(line, "Driver:") is { } d) Driver = d;
            else if (Value(line, "Precision:") is { } prec) ElementSize = prec switch { "float" => 4, "double" => 8, "half" => 2, _ => ElementSize };
            else if (line.StartsWith("Running kernels ", StringComparison.Ordinal) && line.Split(' ') is { Length: >= 3 } parts && int.TryParse(parts[2], NumberStyles.Integer, Inv, out var times)) NumTimes = times;
            else if (line.StartsWith("Using ", StringComparison.Ordinal) && line.IndexOf(" device ", StringComparison.Ordinal) is var at and > 0) Device = Micro.Core.Text.ConsoleText.OneLine(line[(at + " device ".Length)..]).Trim();
            else if (Value(line, "Array size:") is { } size)
            {
                ArraySizeText = size;
                var tok = size.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (tok.Length >= 2 && double.TryParse(tok[0], NumberStyles.Float, Inv, out var amount))
                {
                    if (!(amount > 0) || !double.IsFinite(amount))
                        throw new InputException(path, $"line {lineNo}: Array size", $"must be a positive size, found '{Trim(size)}'");
                    var mult = tok[1] switch { "MB" => 1e6, "MiB" => MiB, "GB" => 1e9, "GiB" => 1024.0 * MiB, "KB" => 1e3, "KiB" => 1024.0, _ => 0 };
                    // Refused before the byte counts overflow; an array that rounds to no byte cannot be timed.
                    if (mult > 0) PrintedFigure.CheckBytes(path, $"line {lineNo}: Array size", amount * mult, size);
                    if (mult > 0 && Math.Round(amount * mult) < 1)
                        throw new InputException(path, $"line {lineNo}: Array size", $"'{Trim(size)}' is less than one byte");
                    if (mult > 0) ArrayBytes = (long)Math.Round(amount * mult);
                }
            }
        }

        private static string? Value(string line, string key) =>
            line.StartsWith(key, StringComparison.Ordinal) ? line[key.Length..].Trim() : null;
    }
}
