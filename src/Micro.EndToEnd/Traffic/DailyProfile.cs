using System.Globalization;
using Micro.Core.Results;

namespace Micro.EndToEnd.Traffic;

/// <summary>
/// A --daily-profile CSV (header `hour,load`, one row per hour 0..23): each hour's load relative to the others. The
/// replayed trace is the busiest hour; hour h carries Share(h) = load(h) / max load of its traffic.
/// </summary>
public sealed record DailyProfile(string Source, IReadOnlyList<double> Loads)
{
    public const int Hours = 24;

    /// <summary>Hour h's traffic over the busiest hour's (the trace's).</summary>
    public double Share(int hour) => Loads[hour] / Loads.Max();

    /// <summary>Hours a month at the busiest hour's traffic that carry the month's requests: 730 h x the mean share.</summary>
    public double EquivalentPeakHours => Cost.CostModel.HoursPerMonth * Enumerable.Range(0, Hours).Average(Share);

    public static DailyProfile Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, null, "no such file");
        if (new FileInfo(path).Length > 64 * 1024) throw new InputException(path, null, "is larger than 64 KiB: a daily profile is 25 short lines");
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Trim().TrimStart('\uFEFF').ToLowerInvariant().Split(',').Select(c => c.Trim()).ToArray();
        if (header is not ["hour", "load"]) throw new InputException(path, null, "expected the header hour,load");
        var loads = new double?[Hours];
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Trim().Length == 0) continue;
            var where = $"{path}:{line}";
            var f = text.Split(',');
            if (f.Length != 2) throw new InputException(where, null, $"expected 2 fields, found {f.Length}");
            if (!int.TryParse(f[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var hour) || hour is < 0 or >= Hours)
                throw new InputException(where, "hour", $"'{f[0].Trim()}' is not an hour from 0 to 23");
            if (loads[hour] is not null) throw new InputException(where, "hour", $"hour {hour} is given twice");
            if (!double.TryParse(f[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var load) || !double.IsFinite(load) || load < 0)
                throw new InputException(where, "load", $"'{f[1].Trim()}' is not a number >= 0");
            loads[hour] = load;
        }
        var missing = Enumerable.Range(0, Hours).Where(h => loads[h] is null).ToList();
        if (missing.Count > 0) throw new InputException(path, "hour", $"no row for hour {string.Join(", ", missing.Take(6))}{(missing.Count > 6 ? ", ..." : "")}: give all 24");
        if (loads.All(l => l == 0)) throw new InputException(path, "load", "every hour is 0: no traffic to plan for");
        return new DailyProfile(path, [.. loads.Select(l => l!.Value)]);
    }
}
