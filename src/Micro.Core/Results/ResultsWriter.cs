using System.Text.Json;

namespace Micro.Core.Results;

/// <summary>
/// Appends one JSON line per measured point to results.jsonl and flushes it to the OS at once,
/// so a crash after N points leaves N complete lines.
/// </summary>
public sealed class ResultsWriter : IDisposable
{
    public const string FileName = "results.jsonl";
    private readonly FileStream _stream;
    private readonly object _gate = new();
    private readonly List<MeasurementRecord> _written = [];

    public ResultsWriter(string directory)
    {
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, FileName);
        _stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    public string Path { get; }
    public IReadOnlyList<MeasurementRecord> Written { get { lock (_gate) return _written.ToArray(); } }

    public void Write(MeasurementRecord record)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(Sorted(record), MicroJson.Line);
        lock (_gate)
        {
            _stream.Write(line);
            _stream.WriteByte((byte)'\n');
            _stream.Flush(flushToDisk: true);
            _written.Add(record);
        }
    }

    /// <summary>Imported records: written together with one flush to disk at the end (a flush per record made a 10,000-row log take a minute).</summary>
    public void WriteAll(IEnumerable<MeasurementRecord> records)
    {
        lock (_gate)
        {
            foreach (var record in records)
            {
                _stream.Write(JsonSerializer.SerializeToUtf8Bytes(Sorted(record), MicroJson.Line));
                _stream.WriteByte((byte)'\n');
                _written.Add(record);
            }
            _stream.Flush(flushToDisk: true);
        }
    }

    private static MeasurementRecord Sorted(MeasurementRecord r) =>
        r with { Parameters = new SortedDictionary<string, string>(r.Parameters.ToDictionary(), StringComparer.Ordinal) };

    public void Dispose() => _stream.Dispose();
}
