using System.Globalization;
using Micro.Core.Results;

namespace Micro.EndToEnd.Traffic;

/// <summary>One row of a --quality table: a configuration label or "model/weight dtype", its quality score, and optionally the share of outputs under the quality floor.</summary>
public sealed record QualityEntry(string Key, double Score, double? ShareBelowFloor);

/// <summary>
/// A --quality CSV (header `config,score[,share_below_floor]`): looked up by a row's own label first, then by its
/// model and weight dtype ("llama-3.1-70b/fp8"), case-insensitively.
/// </summary>
public sealed record QualityTable(string Source, IReadOnlyList<QualityEntry> Entries)
{
    public const int MaxRows = 10_000;

    public QualityEntry? Find(string label, string modelAndDtype) =>
        Entries.FirstOrDefault(e => string.Equals(e.Key, label, StringComparison.OrdinalIgnoreCase))
        ?? Entries.FirstOrDefault(e => string.Equals(e.Key, modelAndDtype, StringComparison.OrdinalIgnoreCase));

    public static QualityTable Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, null, "no such file");
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Trim().TrimStart('\uFEFF').ToLowerInvariant().Split(',').Select(c => c.Trim()).ToArray();
        if (header is null || header.Length is < 2 or > 3 || header[0] != "config" || header[1] != "score" || header.Length == 3 && header[2] != "share_below_floor")
            throw new InputException(path, null, "expected the header config,score or config,score,share_below_floor");
        var list = new List<QualityEntry>();
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Trim().Length == 0) continue;
            if (list.Count >= MaxRows) throw new InputException(path, null, $"holds more than {MaxRows} rows");
            var f = text.Split(',');
            if (f.Length != header.Length) throw new InputException($"{path}:{line}", null, $"expected {header.Length} fields, found {f.Length}");
            var key = f[0].Trim();
            if (key.Length == 0) throw new InputException($"{path}:{line}", "config", "is empty");
            if (!double.TryParse(f[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !double.IsFinite(score))
                throw new InputException($"{path}:{line}", "score", $"'{f[1].Trim()}' is not a number");
            double? share = null;
            if (f.Length == 3 && f[2].Trim().Length > 0)
            {
                if (!double.TryParse(f[2].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || s is < 0 or > 1)
                    throw new InputException($"{path}:{line}", "share_below_floor", $"'{f[2].Trim()}' is not a fraction from 0 to 1");
                share = s;
            }
            list.Add(new QualityEntry(key, score, share));
        }
        if (list.Count == 0) throw new InputException(path, null, "has a header but no rows");
        return new QualityTable(path, list);
    }

    /// <summary>
    /// The quality vs cost frontier: indices of the items no other item beats on both (lower cost per 1M tokens, higher
    /// score), cheapest first; items without a score or cost are left out.
    /// </summary>
    public static IReadOnlyList<int> Frontier(IReadOnlyList<(double? CostPer1M, double? Score)> items) =>
        Cost.Pareto.Frontier([.. items.Select(i => (i.CostPer1M is { } c && i.Score is not null ? -c : double.NaN, i.Score ?? double.NaN))])
            .OrderBy(i => items[i].CostPer1M).ToList();
}
