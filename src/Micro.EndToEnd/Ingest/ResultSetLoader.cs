using Micro.Core.Input;
using Micro.Core.Results;

namespace Micro.EndToEnd.Ingest;

/// <summary>The points of every input, and what was skipped or doubtful on the way (one line each, naming the file).</summary>
public sealed record ResultSet(IReadOnlyList<BenchmarkPoint> Points, IReadOnlyList<string> Warnings);

/// <summary>
/// Expands the command line's inputs (files, --append-result files, sweep directories) into benchmark points.
/// A file named on the command line must be a valid vLLM result (else InputException, exit 2); inside a sweep
/// directory a JSON that is not one (InferenceX's *_summary.json, Micro's own analysis.json / prediction.json) or that
/// fails validation is skipped with one line naming it and why. A file reached twice is read once, with a warning.
/// </summary>
public static class ResultSetLoader
{
    public const int MaxFilesPerDirectory = 10_000;

    /// <summary>Files Micro itself writes into an --out directory, which may be the sweep directory itself.</summary>
    public static readonly IReadOnlyList<string> OwnOutputs = ["analysis.json", "prediction.json", "ceilings.json"];

    /// <summary>The points; the warnings (skipped files, doubtful figures) go to <paramref name="warn"/>, else to stderr.</summary>
    public static IReadOnlyList<BenchmarkPoint> Load(IEnumerable<string> inputs, Action<string>? warn = null)
    {
        var set = LoadSet(inputs);
        foreach (var w in set.Warnings)
        {
            if (warn is not null) warn(w);
            else Console.Error.WriteLine("micro: warning: " + Micro.Core.Text.ConsoleText.OneLine(w));
        }
        return set.Points;
    }

    public static ResultSet LoadSet(IEnumerable<string> inputs)
    {
        var points = new List<BenchmarkPoint>();
        var warnings = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var any = false;
        foreach (var input in inputs)
        {
            any = true;
            if (Directory.Exists(input)) points.AddRange(LoadDirectory(input, seen, warnings, points.Count));
            else if (First(input, seen, warnings)) points.AddRange(Doubts(VllmResultReader.ReadFile(input), warnings));
            if (points.Count > InputLimits.EffectiveCount(InputLimits.MaxPoints))
                throw new InputException(input, null, $"more than {InputLimits.EffectiveCount(InputLimits.MaxPoints):N0} benchmark points in one analysis (the point limit; analyze fewer files at a time)");
        }
        if (!any) throw new InputException("(command line)", null, "no vLLM result files given");
        return new ResultSet(points, warnings);
    }

    /// <summary>A sweep directory: every *.json / *.jsonl result file (run=N.json, one per point), summary files skipped.</summary>
    public static IReadOnlyList<BenchmarkPoint> LoadDirectory(string dir) => LoadDirectory(dir, new HashSet<string>(StringComparer.Ordinal), [], 0);

    /// <param name="before">Points already read from earlier inputs: the point limit is checked after every file, not after the folder.</param>
    private static List<BenchmarkPoint> LoadDirectory(string dir, HashSet<string> seen, List<string> warnings, int before)
    {
        var maxPoints = InputLimits.EffectiveCount(InputLimits.MaxPoints);
        var files = Directory.EnumerateFiles(dir)
            .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            .Where(f => !Path.GetFileName(f).StartsWith("summary", StringComparison.OrdinalIgnoreCase))
            .Take(MaxFilesPerDirectory + 1)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count > MaxFilesPerDirectory) throw new InputException(dir, null, $"more than {MaxFilesPerDirectory} result files in one sweep directory");
        if (files.Count == 0) throw new InputException(dir, null, "empty sweep: no vLLM result files (*.json, *.jsonl other than summary.*) in this directory");
        var points = new List<BenchmarkPoint>();
        var skipped = new List<string>();
        foreach (var f in files)
        {
            if (!First(f, seen, warnings)) continue;
            var name = Path.GetFileName(f);
            if (OwnOutputs.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                skipped.Add($"skipped {f}: Micro's own output, not a vLLM result");
                continue;
            }
            if (name.EndsWith("_summary.json", StringComparison.OrdinalIgnoreCase))
            {
                skipped.Add($"skipped {f}: a sweep summary (InferenceX *_summary.json), not a vLLM result");
                continue;
            }
            // A FIFO would block the read until a writer comes, a device never ends: only regular files are read from a folder.
            if (FileKinds.Of(f, follow: true) is var kind and not FileKind.Regular)
            {
                skipped.Add($"skipped {f}: {FileKinds.Describe(kind)}, not a regular file (only regular files are read from a folder)");
                continue;
            }
            try { points.AddRange(Doubts(VllmResultReader.ReadFile(f), warnings)); }
            catch (InputException e)
            {
                skipped.Add($"skipped {f}: not a valid vLLM result ({(e.Field is null ? "" : e.Field + ": ")}{e.Reason})");
            }
            if (before + points.Count > maxPoints)
                throw new InputException(f, null, $"more than {maxPoints:N0} benchmark points in one analysis (the point limit, reached while reading {dir}; analyze fewer files at a time)");
        }
        if (points.Count == 0)
            throw new InputException(dir, null, $"no valid vLLM result in this directory ({skipped.Count} file(s) skipped; first: {skipped.FirstOrDefault()})");
        warnings.AddRange(skipped);
        return points;
    }

    private static IReadOnlyList<BenchmarkPoint> Doubts(IReadOnlyList<BenchmarkPoint> points, List<string> warnings)
    {
        foreach (var p in points) warnings.AddRange(p.Doubts);
        return points;
    }

    /// <summary>True the first time a file is reached; the second time a warning says it is analyzed once.</summary>
    private static bool First(string path, HashSet<string> seen, List<string> warnings)
    {
        if (seen.Add(Path.GetFullPath(path))) return true;
        warnings.Add($"{path} was given twice (or also through its directory): analyzed once");
        return false;
    }
}
