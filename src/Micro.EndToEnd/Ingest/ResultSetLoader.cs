using Micro.Core.Results;

namespace Micro.EndToEnd.Ingest;

/// <summary>Expands the command line's inputs (files, --append-result files, sweep directories) into benchmark points.</summary>
public static class ResultSetLoader
{
    public const int MaxFilesPerDirectory = 10_000;

    public static IReadOnlyList<BenchmarkPoint> Load(IEnumerable<string> inputs)
    {
        var points = new List<BenchmarkPoint>();
        var any = false;
        foreach (var input in inputs)
        {
            any = true;
            if (Directory.Exists(input)) points.AddRange(LoadDirectory(input));
            else points.AddRange(VllmResultReader.ReadFile(input));
            if (points.Count > InputLimits.EffectiveCount(InputLimits.MaxPoints))
                throw new InputException(input, null, $"more than {InputLimits.EffectiveCount(InputLimits.MaxPoints):N0} benchmark points in one analysis (the point limit; analyze fewer files at a time)");
        }
        if (!any) throw new InputException("(command line)", null, "no vLLM result files given");
        return points;
    }

    /// <summary>A sweep directory: every *.json / *.jsonl result file (run=N.json, one per point), summary files skipped.</summary>
    public static IReadOnlyList<BenchmarkPoint> LoadDirectory(string dir)
    {
        var files = Directory.EnumerateFiles(dir)
            .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            .Where(f => !Path.GetFileName(f).StartsWith("summary", StringComparison.OrdinalIgnoreCase))
            .Take(MaxFilesPerDirectory + 1)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count > MaxFilesPerDirectory) throw new InputException(dir, null, $"more than {MaxFilesPerDirectory} result files in one sweep directory");
        if (files.Count == 0) throw new InputException(dir, null, "empty sweep: no vLLM result files (*.json, *.jsonl other than summary.*) in this directory");
        return files.SelectMany(VllmResultReader.ReadFile).ToList();
    }
}
