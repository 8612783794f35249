using System.Text.Json;

namespace Micro.Core.Results;

/// <summary>
/// Appends one JSON line per measured point to results.jsonl and flushes it to the OS at once,
/// so a crash after N points leaves N complete lines. A file whose last line was torn (no newline, as a crash
/// can leave it) is continued on a fresh line, and <see cref="TornLineNote"/> says so. A write that fails
/// (a full disk, a vanished directory) is an <see cref="OutputException"/> naming the file; the lines already
/// written stay valid.
/// </summary>
public sealed class ResultsWriter : IDisposable
{
    public const string FileName = "results.jsonl";
    private readonly FileStream _stream;
    private readonly object _gate = new();
    private readonly List<MeasurementRecord> _written = [];
    private bool _broken;

    public ResultsWriter(string directory)
    {
        Path = System.IO.Path.Combine(directory, FileName);
        try
        {
            Directory.CreateDirectory(directory);
            OutputDirectory.Lock(directory);
            OutputDirectory.CheckFile(Path);
            var torn = EndsTorn(Path);
            _stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            if (torn)
            {
                TornLineNote = $"{Path}: its last line was torn (no newline, e.g. a crash mid-write); new points start on a fresh line and readers skip the torn one";
                _stream.WriteByte((byte)'\n');
                _stream.Flush(flushToDisk: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _stream?.Dispose();
            throw new OutputException(Path, $"cannot write ({e.Message})", e);
        }
    }

    public string Path { get; }
    /// <summary>Set when the file ended in a torn line: one line saying so (null otherwise).</summary>
    public string? TornLineNote { get; }
    public IReadOnlyList<MeasurementRecord> Written { get { lock (_gate) return _written.ToArray(); } }

    public void Write(MeasurementRecord record)
    {
        // A line ResultsReader would refuse would make the whole file unreadable: a producer's bug, never written.
        if (RecordValidation.Problem(record) is { } bad)
            throw new InvalidOperationException($"a {record.Suite}/{record.Case} record that contradicts itself ({bad.Field}: {bad.Reason}) was not written to {Path}");
        var line = JsonSerializer.SerializeToUtf8Bytes(Sorted(record), MicroJson.Line);
        lock (_gate)
        {
            if (_broken) throw new OutputException(Path, "an earlier write failed");
            try
            {
                var bytes = new byte[line.Length + 1];
                line.CopyTo(bytes, 0);
                bytes[^1] = (byte)'\n';
                _stream.Write(bytes);
                _stream.Flush(flushToDisk: true);
            }
            catch (IOException e)
            {
                _broken = true;
                throw new OutputException(Path, $"cannot write ({e.Message}); the {_written.Count} point(s) written before stay valid", e);
            }
            _written.Add(record);
        }
    }

    /// <summary>True when <paramref name="path"/> exists, is not empty and does not end in a newline.</summary>
    public static bool EndsTorn(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || (info.Attributes & FileAttributes.Device) != 0) return false;
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (!s.CanSeek || s.Length == 0) return false;
        s.Seek(-1, SeekOrigin.End);
        return s.ReadByte() != '\n';
    }

    /// <summary>Imported records: written together with one flush to disk at the end (a flush per record made a 10,000-row log take a minute).</summary>
    public void WriteAll(IEnumerable<MeasurementRecord> records)
    {
        lock (_gate)
        {
            if (_broken) throw new OutputException(Path, "an earlier write failed");
            var batch = new List<MeasurementRecord>();
            try
            {
                foreach (var record in records)
                {
                    _stream.Write(JsonSerializer.SerializeToUtf8Bytes(Sorted(record), MicroJson.Line));
                    _stream.WriteByte((byte)'\n');
                    batch.Add(record);
                }
                _stream.Flush(flushToDisk: true);
            }
            catch (IOException e)
            {
                _broken = true;
                throw new OutputException(Path, $"cannot write ({e.Message}); the {_written.Count} point(s) written before stay valid", e);
            }
            _written.AddRange(batch);
        }
    }

    private static MeasurementRecord Sorted(MeasurementRecord r) =>
        r with { Parameters = new SortedDictionary<string, string>(r.Parameters.ToDictionary(), StringComparer.Ordinal) };

    public void Dispose()
    {
        // A stream whose write failed may still hold the failed bytes: dropping them is the point.
        try { _stream.Dispose(); }
        catch (IOException) when (_broken) { }
    }
}
