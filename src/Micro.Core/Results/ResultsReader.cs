using System.Text.Json;
using Micro.Core.Input;

namespace Micro.Core.Results;

/// <summary>Reads results.jsonl (untrusted): bounded size, line length and strings, one clear error naming file, line and reason; /1 and /2 lines are upgraded to /3 (LegacySchema, ResultsV2).</summary>
public static class ResultsReader
{
    /// <param name="tornLine">Told (one line) of each torn line (the cut-off start of a JSON record, as a crash
    /// mid-write leaves it, possibly continued on a fresh line by ResultsWriter), which is skipped; null: stderr.</param>
    public static IReadOnlyList<MeasurementRecord> Read(string path, Action<string>? tornLine = null)
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
                r = JsonInput.Parse<MeasurementRecord>(bytes, path, MicroJson.Line, "a result record", JsonShape.NonFinite.NaN | JsonShape.NonFinite.Infinity);
            }
            catch (Exception e) when (e is JsonException or InputException && IsTornPrefix(line))
            {
                var note = $"{path}: line {lineNo}: torn line skipped (the start of a record cut off, as a crash mid-write leaves it)";
                if (tornLine is null) Console.Error.WriteLine("micro: " + note);
                else tornLine(note);
                continue;
            }
            catch (InputException e) { throw new InputException(path, e.Field is null ? $"line {lineNo}" : $"line {lineNo}: {e.Field}", e.Reason, e); }
            catch (JsonException e) { throw LineError(path, lineNo, bytes, e); }
            if (r is null) throw new InputException(path, $"line {lineNo}", "null record");
            r = ResultsV2.Upgrade(r);
            if (r.Schema != MeasurementRecord.CurrentSchema) throw new InputException(path, $"line {lineNo}: schema", $"unsupported schema '{r.Schema}'");
            if (r.PointCount > 1) throw new InputException(path, $"line {lineNo}", "more than one typed point (gemm, attention, collective, launch, copy, stream)");
            if (Points.PointValidation.Problem(r.Point) is { } bad) throw new InputException(path, $"line {lineNo}: {bad.Field}", bad.Reason);
            if (RecordValidation.Problem(r) is { } wrong) throw new InputException(path, $"line {lineNo}: {wrong.Field}", wrong.Reason);
            list.Add(r);
        }
        return list;
    }

    /// <summary>True when <paramref name="line"/> is a strict prefix of a JSON object: valid so far, cut off before its end.</summary>
    public static bool IsTornPrefix(string line)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(line.TrimEnd());
        if (bytes.Length == 0 || bytes[0] != (byte)'{') return false;
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, state: default);
        try { while (reader.Read()) { } }
        catch (JsonException) { return false; }
        return reader.CurrentDepth > 0 || reader.BytesConsumed < bytes.Length;
    }

    private static InputException LineError(string path, int lineNo, byte[] bytes, JsonException e)
    {
        var d = JsonInput.Describe(path, bytes, e, "a result record");
        return new InputException(path, d.Field is null ? $"line {lineNo}" : $"line {lineNo}: {d.Field}", "not a result record: " + d.Reason, e);
    }
}
