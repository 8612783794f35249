using System.Text.Json;
using Micro.Core.Input;

namespace Micro.Core.Results;

/// <summary>Reads results.jsonl (untrusted): bounded size, line length and strings, one clear error naming file, line and reason; /1 lines are read as /2.</summary>
public static class ResultsReader
{
    public static IReadOnlyList<MeasurementRecord> Read(string path)
    {
        var list = new List<MeasurementRecord>();
        var lineNo = 0;
        foreach (var line in BoundedFile.ReadLines(path, InputLimits.MaxFileBytes))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            MeasurementRecord? r;
            var bytes = System.Text.Encoding.UTF8.GetBytes(line);
            try
            {
                JsonInput.Check(bytes, path, "a result record");
                r = LegacySchema.Deserialize<MeasurementRecord>(bytes, MicroJson.Line);
            }
            catch (InputException e) { throw new InputException(path, e.Field is null ? $"line {lineNo}" : $"line {lineNo}: {e.Field}", e.Reason, e); }
            catch (JsonException e) { throw LineError(path, lineNo, bytes, e); }
            if (r is null) throw new InputException(path, $"line {lineNo}", "null record");
            if (r.Schema != MeasurementRecord.CurrentSchema) throw new InputException(path, $"line {lineNo}: schema", $"unsupported schema '{r.Schema}'");
            list.Add(r);
        }
        return list;
    }

    private static InputException LineError(string path, int lineNo, byte[] bytes, JsonException e)
    {
        var d = JsonInput.Describe(path, bytes, e, "a result record");
        return new InputException(path, d.Field is null ? $"line {lineNo}" : $"line {lineNo}: {d.Field}", "not a result record: " + d.Reason, e);
    }
}
