using System.Text;
using System.Text.Json;

namespace Micro.Core.Results;

/// <summary>Reads results.jsonl (untrusted): bounded size, one clear error naming file, line and reason; /1 lines are read as /2.</summary>
public static class ResultsReader
{
    public static IReadOnlyList<MeasurementRecord> Read(string path)
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
            try { r = LegacySchema.Deserialize<MeasurementRecord>(line, MicroJson.Line); }
            catch (JsonException e) { throw new InputException(path, $"line {lineNo}", $"not a result record ({e.Message.Split('\n')[0]})", e); }
            if (r is null) throw new InputException(path, $"line {lineNo}", "null record");
            if (r.Schema != MeasurementRecord.CurrentSchema) throw new InputException(path, $"line {lineNo}: schema", $"unsupported schema '{r.Schema}'");
            list.Add(r);
        }
        return list;
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
