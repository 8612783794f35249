using System.Globalization;
using System.Text.RegularExpressions;
using Micro.Core.Input;
using Micro.Core.Results;

namespace Micro.Suites.Collectives;

/// <summary>One placement (out-of-place or in-place) of a row, every figure kept as printed.</summary>
public sealed record NcclTestsFigures(string Time, string AlgBw, string BusBw, string Wrong)
{
    public double TimeUs => double.Parse(Time, CultureInfo.InvariantCulture);
    public double AlgBwGBps => double.Parse(AlgBw, CultureInfo.InvariantCulture);
    public double BusBwGBps => double.Parse(BusBw, CultureInfo.InvariantCulture);
    /// <summary>null when printed N/A.</summary>
    public long? WrongCount => long.TryParse(Wrong.TrimEnd('*'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var w) ? w : null;
}

public sealed record NcclTestsRow(int Line, long Size, long Count, string Type, string RedOp, int? Root, NcclTestsFigures OutOfPlace, NcclTestsFigures InPlace);

/// <summary>An nccl-tests or rccl-tests text log (`*_perf` output) as printed.</summary>
public sealed record NcclTestsLog
{
    public required string File { get; init; }
    /// <summary>"nccl-tests" or "rccl-tests".</summary>
    public required string Tool { get; init; }
    /// <summary>e.g. all_reduce_perf; null when the log does not name it.</summary>
    public string? Program { get; init; }
    public CollectiveOp? Op { get; init; }
    /// <summary>Ranks listed under "# Using devices"; null when the log has no such list.</summary>
    public int? NRanks { get; init; }
    public string? Device { get; init; }
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<NcclTestsRow> Rows { get; init; } = [];
    public string? AvgBusBw { get; init; }
    public string? OutOfBounds { get; init; }
}

public static partial class NcclTestsLogParser
{

    [GeneratedRegex(@"^#?\s*Rank\s+(\d+)\s+(?:Group\s+\d+\s+)?Pid\s+\d+\s+on\s+(\S+)\s+device\s+(\d+)\s+\[[^\]]*\]\s+(.+?)\s*$")]
    private static partial Regex RankLine();
    [GeneratedRegex(@"\b(all_reduce|all_gather|reduce_scatter|broadcast|reduce|alltoall|sendrecv)_perf\b")]
    private static partial Regex ProgramName();
    [GeneratedRegex(@"^#\s*Avg bus bandwidth\s*:\s*(\S+)")]
    private static partial Regex AvgLine();
    [GeneratedRegex(@"^#\s*Out of bounds values\s*:\s*(\S+)")]
    private static partial Regex OobLine();
    [GeneratedRegex(@"^#\s*nThread\s.*$")]
    private static partial Regex SettingsLine();
    [GeneratedRegex(@"([A-Za-z][A-Za-z ]*?)\s*:?\s+(-?\d+(?:\([a-z]+\))?)")]
    private static partial Regex SettingPair();

    public static NcclTestsLog Parse(string path)
    {
        return Parse(path, BoundedFile.ReadLines(path, InputLimits.MaxLogBytes));
    }

    /// <summary>Streams the lines once; stops with one line past InputLimits.MaxLogRows result rows.</summary>
    public static NcclTestsLog Parse(string file, IEnumerable<string> lines)
    {
        var maxRows = InputLimits.EffectiveCount(InputLimits.MaxLogRows);
        var rows = new List<NcclTestsRow>();
        var ranks = new SortedSet<int>();
        string? device = null, program = null, avg = null, oob = null;
        var tool = "nccl-tests";
        var hasRoot = true;
        var settings = new Dictionary<string, string>();
        var i = -1;
        foreach (var raw in lines)
        {
            i++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (line.Contains("rccl-tests", StringComparison.OrdinalIgnoreCase) || line.StartsWith("RCCL version", StringComparison.Ordinal)) tool = "rccl-tests";
            if (program is null && ProgramName().Match(line) is { Success: true } pm) program = pm.Value;
            if (RankLine().Match(line) is { Success: true } rm)
            {
                ranks.Add(int.Parse(rm.Groups[1].Value, CultureInfo.InvariantCulture));
                device ??= Micro.Core.Text.ConsoleText.OneLine(rm.Groups[4].Value);
                continue;
            }
            if (AvgLine().Match(line) is { Success: true } am) { avg = am.Groups[1].Value; continue; }
            if (OobLine().Match(line) is { Success: true } om) { oob = om.Groups[1].Value; continue; }
            if (SettingsLine().IsMatch(line))
            {
                foreach (Match m in SettingPair().Matches(line.TrimStart('#')))
                    settings[m.Groups[1].Value.Trim().ToLowerInvariant()] = m.Groups[2].Value;
                continue;
            }
            if (line.StartsWith('#'))
            {
                if (line.Contains("size", StringComparison.Ordinal) && line.Contains("redop", StringComparison.Ordinal))
                    hasRoot = line.Contains("root", StringComparison.Ordinal);
                continue;
            }
            if (line.Length > 1 && line[0] == '-' && char.IsDigit(line[1]))
                throw new InputException(file, $"line {i + 1}: size", $"'{Trunc(line.Split(' ')[0])}' is negative: a byte count must not be negative");
            if (!char.IsDigit(line[0])) continue;
            if (rows.Count == maxRows)
                throw new InputException(file, $"line {i + 1}", $"more than {maxRows:N0} result rows (the import limit of one log; a full -b 8 -e 8G -f 2 sweep has 31): split the log");
            rows.Add(ParseRow(file, i + 1, line, hasRoot));
        }
        if (rows.Count == 0) throw new InputException(file, null, "no nccl-tests/rccl-tests result rows (lines of size, count, type, redop, ... #wrong)");
        CollectiveOp? op = null;
        if (program is not null && CollectiveNames.TryParseOp(program[..^"_perf".Length], out var parsed)) op = parsed;
        return new NcclTestsLog
        {
            File = file, Tool = tool, Program = program, Op = op, NRanks = ranks.Count > 0 ? ranks.Count : null, Device = device,
            Settings = settings, Rows = rows, AvgBusBw = avg, OutOfBounds = oob,
        };
    }

    private static NcclTestsRow ParseRow(string file, int lineNo, string line, bool hasRoot)
    {
        var f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var expected = hasRoot ? 13 : 12;
        if (f.Length < expected)
            throw new InputException(file, $"line {lineNo}", $"expected {expected} columns (size count type redop{(hasRoot ? " root" : "")} time algbw busbw #wrong x2), found {f.Length}");
        var k = hasRoot ? 5 : 4;
        if (!long.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            throw new InputException(file, $"line {lineNo}: size", $"'{Trunc(f[0])}' is not a byte count");
        PrintedFigure.CheckBytes(file, $"line {lineNo}: size", size, f[0]);
        if (!long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            throw new InputException(file, $"line {lineNo}: count", $"'{Trunc(f[1])}' is not an element count");
        if (count > size) throw new InputException(file, $"line {lineNo}: count", $"{count} elements in {size} bytes: more elements than bytes");
        int? root = null;
        if (hasRoot)
        {
            if (!int.TryParse(f[4], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var r))
                throw new InputException(file, $"line {lineNo}: root", $"'{Trunc(f[4])}' is not a rank");
            root = r;
        }
        var outFig = Figures(file, lineNo, f, k, "out-of-place");
        var inFig = Figures(file, lineNo, f, k + 4, "in-place");
        return new NcclTestsRow(lineNo, size, count, f[2], f[3], root, outFig, inFig);
    }

    private static NcclTestsFigures Figures(string file, int lineNo, string[] f, int at, string which)
    {
        // Time in microseconds, algbw and busbw in GB/s; bounded so that no mean or rate derived from them overflows.
        PrintedFigure.Seconds(file, $"line {lineNo}: {which} time", f[at], unit: 1e-6);
        PrintedFigure.Rate(file, $"line {lineNo}: {which} algbw", f[at + 1], unit: 1e9);
        PrintedFigure.Rate(file, $"line {lineNo}: {which} busbw", f[at + 2], unit: 1e9);
        var wrong = f[at + 3];
        if (wrong != "N/A" && !long.TryParse(wrong.TrimEnd('*'), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw new InputException(file, $"line {lineNo}: {which} #wrong", $"'{Trunc(wrong)}' is not a count or N/A");
        return new NcclTestsFigures(f[at], f[at + 1], f[at + 2], wrong);
    }

    private static string Trunc(string s) => s.Length > 40 ? s[..40] + "..." : s;

    /// <summary>busbw from the printed size, time and the rank count with nccl-tests' factors (what the log's own busbw should be).</summary>
    public static double RecomputeBusBw(CollectiveOp op, long count, string type, double timeUs, int nranks)
    {
        var es = CollectiveNames.TryParseDType(type, out var t) ? CollectiveNames.SizeOf(t) : ElementSizeOf(type);
        var spec = CollectiveTable.Get(op);
        var algBytes = spec.AlgBytes(count, es, nranks);
        return algBytes / (timeUs * 1e-6) / 1e9 * spec.BusFactor(nranks);
    }

    private static int ElementSizeOf(string type) => type switch
    {
        "int8" or "uint8" or "f8e4m3" or "f8e5m2" => 1,
        "int64" or "uint64" or "double" => 8,
        "uint32" => 4,
        _ => throw new ArgumentException($"unknown nccl-tests type '{type}'"),
    };
}
