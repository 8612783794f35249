using Micro.Core.Input;

namespace Micro.Core.Results;

/// <summary>
/// The one check of an output directory, used by every verb that writes files before it measures or writes anything:
/// the path must be a directory (or creatable under one) where files can be created, and an existing results.jsonl
/// must be appendable. Nothing is created here: the directory appears when the first file is written.
/// </summary>
public static class OutputDirectory
{
    /// <summary>Files Micro writes into an output directory: each must be absent or a regular file (never a link, a
    /// FIFO or a directory), checked before anything runs.</summary>
    public static readonly IReadOnlyList<string> FileNames =
    [
        ResultsWriter.FileName, "ceilings.json", "ceilings.json.tmp", "results.csv", "analysis.json", "analysis.json.tmp",
        "prediction.json", "points.csv", "report.md", "report.md.tmp", "report.html", "report.html.tmp",
    ];

    /// <summary>Folders Micro writes into an output directory: each must be absent or a real directory.</summary>
    public static readonly IReadOnlyList<string> FolderNames = ["plots", "predicted"];

    /// <summary>Held for the life of the process by the one Micro writing into a directory (flock through FileShare.None).</summary>
    public const string LockName = ".micro-out.lock";

    /// <summary>A results.jsonl this close to the input limit is refused before measuring: the points added would push it past.</summary>
    public const long ResultsHeadroomBytes = 16L << 20;

    private static readonly Dictionary<string, FileStream> Locks = new(StringComparer.Ordinal);

    /// <summary>The full path, or an <see cref="OutputException"/> naming <paramref name="option"/>, the path and the reason.</summary>
    /// <param name="appendsResults">The verb appends to results.jsonl: an existing one is read (every line checked) and
    /// its size checked against the input limit now, before anything is measured, and the directory is locked against
    /// a second Micro writing there.</param>
    public static string Check(string path, string option = "--out", bool appendsResults = false)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new OutputException($"{option} ''", "an empty path");
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new OutputException($"{option} {path}", $"not a usable path ({e.Message})");
        }
        string Where(string p) => p == full ? $"{option} {full}" : $"{option} {full}: {p}";
        if (File.Exists(full)) throw new OutputException(Where(full), "is a file, not a directory");
        var existing = full;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing)) throw new OutputException(Where(existing), "is a file, so no directory can be created under it");
            existing = Path.GetDirectoryName(existing) ?? throw new OutputException(Where(full), "no existing parent directory");
        }
        ProbeWritable(existing, Where(existing));
        if (existing != full) return full;
        foreach (var name in FileNames) CheckFile(Path.Combine(full, name), Where);
        foreach (var name in FolderNames)
            if (FileKinds.Of(Path.Combine(full, name)) is var kind and not (FileKind.Missing or FileKind.Directory))
                throw new OutputException(Where(Path.Combine(full, name)), $"is {FileKinds.Describe(kind)}; Micro writes a folder of that name here (move it away)");
        var results = Path.Combine(full, ResultsWriter.FileName);
        if (File.Exists(results))
        {
            try { using var _ = new FileStream(results, FileMode.Open, FileAccess.Write, FileShare.ReadWrite); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OutputException(Where(results), $"cannot be appended to ({e.Message})");
            }
        }
        if (!appendsResults) return full;
        // Under mpirun/srun every rank checks the same --out; the rank that writes takes the lock in ResultsWriter.
        if (!UnderLauncher()) Lock(full, Where(Path.Combine(full, LockName)));
        if (File.Exists(results))
        {
            var limit = InputLimits.Effective(InputLimits.MaxFileBytes);
            var size = new FileInfo(results).Length;
            if (size > limit - Math.Min(ResultsHeadroomBytes, limit / 4))
                throw new OutputException(Where(results), $"is {InputLimits.Describe(size)}, too close to the {InputLimits.Describe(limit)} input limit to take more points; measure into a new --out");
            // Every line is read now: a line Micro cannot read back is refused before anything is measured, not after.
            ResultsReader.Read(results, _ => { });
        }
        return full;
    }

    /// <summary>An output file must be absent or a regular file: never written through a link, never a FIFO (which would block) or a directory.</summary>
    public static void CheckFile(string path, Func<string, string>? where = null)
    {
        var kind = FileKinds.Of(path);
        if (kind is FileKind.Missing or FileKind.Regular) return;
        throw new OutputException(where?.Invoke(path) ?? path, kind == FileKind.Symlink
            ? "is a symbolic link; Micro does not write through links (remove it or choose another --out)"
            : $"is {FileKinds.Describe(kind)}, not a regular file Micro can write (move it away)");
    }

    private static bool UnderLauncher() =>
        new[] { "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "SLURM_PROCID" }.Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));

    /// <summary>Locks <paramref name="dir"/> for this process: a second Micro writing there is refused at once, with the reason.</summary>
    public static void Lock(string dir, string? label = null)
    {
        var path = Path.Combine(dir, LockName);
        lock (Locks)
        {
            if (Locks.ContainsKey(path)) return;
            CheckFile(path);
            try
            {
                Directory.CreateDirectory(dir);
                Locks[path] = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
            }
            catch (IOException e) when (File.Exists(path))
            {
                throw new OutputException(label ?? path, $"another Micro process is writing into this directory (it holds {LockName}); wait for it to finish or choose another --out ({e.Message})");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OutputException(label ?? path, $"cannot lock the directory ({e.Message})");
            }
        }
    }

    private static void ProbeWritable(string dir, string label)
    {
        var probe = Path.Combine(dir, $".micro-write-check-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(label, $"cannot create files there ({e.Message})");
        }
        finally
        {
            try { File.Delete(probe); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }
}
