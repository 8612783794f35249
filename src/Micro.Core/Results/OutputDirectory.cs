namespace Micro.Core.Results;

/// <summary>
/// The one check of an output directory, used by every verb that writes files before it measures or writes anything:
/// the path must be a directory (or creatable under one) where files can be created, and an existing results.jsonl
/// must be appendable. Nothing is created here: the directory appears when the first file is written.
/// </summary>
public static class OutputDirectory
{
    /// <summary>The full path, or an <see cref="OutputException"/> naming <paramref name="option"/>, the path and the reason.</summary>
    public static string Check(string path, string option = "--out")
    {
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
        var results = Path.Combine(full, ResultsWriter.FileName);
        if (existing == full && File.Exists(results))
        {
            try { using var _ = new FileStream(results, FileMode.Open, FileAccess.Write, FileShare.ReadWrite); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OutputException(Where(results), $"cannot be appended to ({e.Message})");
            }
        }
        return full;
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
