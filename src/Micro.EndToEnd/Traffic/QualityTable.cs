using System.Globalization;
using Micro.Core.Results;

namespace Micro.EndToEnd.Traffic;

/// <summary>One row of a --quality table: a configuration label or "model/weight dtype", its quality score, and optionally the share of outputs under the quality floor.</summary>
public sealed record QualityEntry(string Key, double Score, double? ShareBelowFloor);

/// <summary>What the quality table says of one analyzed run, predicted point or plan row: its row (null when none matches) and whether it is on the quality vs cost frontier.</summary>
public sealed record QualityMatch(QualityEntry? Entry, bool OnFrontier);

/// <summary>One thing to join: the keys it may be listed under (first match wins), its cost per 1M output tokens, and whether it meets the SLO (only those are on the frontier).</summary>
public readonly record struct QualityCandidate(IReadOnlyList<string> Keys, double? CostPer1MOutputTokens, bool MeetsSlo);

/// <summary>
/// A --quality CSV (header `config,score[,share_below_floor]`): looked up by a row's own label first, then by its
/// model and weight dtype ("llama-3.1-70b/fp8"), case-insensitively.
/// </summary>
public sealed record QualityTable(string Source, IReadOnlyList<QualityEntry> Entries)
{
    public const int MaxRows = 10_000;

    /// <summary>The row listed under the first of the keys that has one, case-insensitively.</summary>
    public QualityEntry? Find(params IReadOnlyList<string> keys) =>
        keys.Select(k => Entries.FirstOrDefault(e => string.Equals(e.Key, k, StringComparison.OrdinalIgnoreCase))).FirstOrDefault(e => e is not null);

    /// <summary>
    /// Quality beside cost for analyze's runs, predict's points and the plan's rows alike: each one's row, and the
    /// frontier of cost per 1M output tokens against score over those that meet the SLO.
    /// </summary>
    public IReadOnlyList<QualityMatch> Join(IReadOnlyList<QualityCandidate> items)
    {
        var entries = items.Select(i => Find(i.Keys)).ToList();
        var frontier = Frontier([.. items.Select((x, i) => (x.MeetsSlo ? x.CostPer1MOutputTokens : null, entries[i]?.Score))]).ToHashSet();
        return [.. entries.Select((e, i) => new QualityMatch(e, frontier.Contains(i)))];
    }

    /// <summary>Predicted points of one deployment with its row (its label, then model/weight dtype) and the frontier over the points meeting the SLO (all without one).</summary>
    public IReadOnlyList<Prediction.PredictedPoint> Join(Prediction.ServingSetup setup, IReadOnlyList<Prediction.PredictedPoint> points)
    {
        var keys = KeysOf(setup.Device.Hardware.Name, setup.Deployment.Decode.TensorParallel, setup.Model.Name, setup.Weights.Quantized);
        var joined = Join([.. points.Select(p => new QualityCandidate(keys, p.CostPer1MOutputTokens, p.MeetsSlo ?? true))]);
        return [.. points.Select((p, i) => p with { Quality = joined[i] })];
    }

    /// <summary>The keys a quality table may list a deployment under: its label ("NVIDIA H100 SXM5 80GB TP4 fp8"), then "model/weight dtype".</summary>
    public static IReadOnlyList<string> KeysOf(string gpu, int tensorParallel, string modelName, string weightDtype) =>
        [$"{gpu} TP{tensorParallel} {weightDtype}", $"{modelName}/{weightDtype}"];

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
