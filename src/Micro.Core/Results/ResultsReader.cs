using System.Text;
using System.Text.Json;

namespace Micro.Core.Results;

/// <summary>Reads results.jsonl (untrusted): bounded size, one clear error naming file, line and reason.</summary>
public static class ResultsReader
{
    /// <param name="tornLine">Told (one line) of each torn line (the cut-off start of a JSON record, as a crash
    /// mid-write leaves it, possibly continued on a fresh line by ResultsWriter), which is skipped; null: stderr.</param>
    public static IReadOnlyList<MeasurementRecord> Read(string path, Action<string>? tornLine = null)
    {
        InputLimits.CheckFileSize(path);
        var list = new List<MeasurementRecord>();
        using var reader = new StreamReader(path, Encoding.UTF8);
        var lineNo = 0;
        while (ReadBoundedLine(reader, path, lineNo + 1) is { } line)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            MeasurementRecord? r;
            try { r = JsonSerializer.Deserialize<MeasurementRecord>(line, MicroJson.Line); }
            catch (JsonException) when (IsTornPrefix(line))
            {
                var note = $"{path}: line {lineNo}: torn line skipped (the start of a record cut off, as a crash mid-write leaves it)";
                if (tornLine is null) Console.Error.WriteLine("micro: " + note);
                else tornLine(note);
                continue;
            }
            catch (JsonException e) { throw new InputException(path, $"line {lineNo}", $"not a result record ({e.Message.Split('\n')[0]})", e); }
            if (r is null) throw new InputException(path, $"line {lineNo}", "null record");
            if (r.Schema != MeasurementRecord.CurrentSchema) throw new InputException(path, $"line {lineNo}: schema", $"unsupported schema '{r.Schema}'");
            list.Add(r);
        }
        return list;
    }

    /// <summary>True when <paramref name="line"/> is a strict prefix of a JSON object: valid so far, cut off before its end.</summary>
    public static bool IsTornPrefix(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line.TrimEnd());
        if (bytes.Length == 0 || bytes[0] != (byte)'{') return false;
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, state: default);
        try { while (reader.Read()) { } }
        catch (JsonException) { return false; }
        return reader.CurrentDepth > 0 || reader.BytesConsumed < bytes.Length;
    }

    internal static string? ReadBoundedLine(StreamReader reader, string path, int lineNo)
    {
        var sb = new StringBuilder();
        int c;
        var any = false;
        while ((c = reader.Read()) >= 0)
        {
            any = true;
            if (c == '\n') return sb.ToString();
            sb.Append((char)c);
            if (sb.Length > InputLimits.MaxLineBytes) throw new InputException(path, $"line {lineNo}", $"line longer than {InputLimits.MaxLineBytes} characters");
        }
        return any ? sb.ToString() : null;
    }
}
