using System.Text;
using System.Text.Json;
using Micro.Core.Input;
using Micro.Core.Results;

namespace Micro.EndToEnd.Ingest;

/// <summary>
/// Reads vLLM serving results (untrusted): `vllm bench serve --save-result` JSON, legacy benchmark_serving.py JSON,
/// and --append-result files (one object per line). Streams with Utf8JsonReader so 100k-request detailed files parse
/// without building a DOM. Every problem becomes one InputException naming file, field and reason.
/// </summary>
public static class VllmResultReader
{
    public static IReadOnlyList<BenchmarkPoint> ReadFile(string path) =>
        Parse(BoundedFile.ReadAllBytes(path, InputLimits.MaxFileBytes), path);

    /// <summary>For a sweep folder: the points, or the one-line reason this file is not a usable result (never throws InputException).</summary>
    public static bool TryReadFile(string path, out IReadOnlyList<BenchmarkPoint> points, out InputException? error)
    {
        try
        {
            points = ReadFile(path);
            error = null;
            return true;
        }
        catch (InputException e)
        {
            points = [];
            error = e;
            return false;
        }
    }

    public static IReadOnlyList<BenchmarkPoint> Parse(byte[] data, string file)
    {
        var span = data.AsSpan();
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        // Keys twice, invalid UTF-16/UTF-8 and numbers past a double are refused here; a syntax error is left to the
        // streaming parse below, which names the field it broke in.
        try { JsonInput.Check(span, file, "a vLLM result (JSON object)", multipleValues: true); }
        catch (InputException e) when (e.InnerException is JsonException) { }
        var maxPoints = InputLimits.EffectiveCount(InputLimits.MaxPoints);
        var points = new List<BenchmarkPoint>();
        var reader = new Utf8JsonReader(span, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = InputLimits.MaxJsonDepth });
        var state = new ParseState(file);
        try
        {
            while (reader.Read())
            {
                var start = reader.TokenStartIndex;
                if (reader.TokenType != JsonTokenType.StartObject)
                    throw new InputException(file, null, $"expected a JSON object per result, found {reader.TokenType}");
                state.ObjectIndex = points.Count + 1;
                if (state.ObjectIndex > maxPoints)
                    throw new InputException(file, $"line {state.ObjectIndex}", $"more than {maxPoints:N0} result objects in one file (the point limit of one analysis)");
                var point = PointParser.ParseObject(ref reader, state);
                if (points.Count > 0 || reader.BytesConsumed < span.Length && HasMoreContent(span[(int)reader.BytesConsumed..]))
                {
                    if (reader.BytesConsumed - start > InputLimits.MaxLineBytes)
                        throw new InputException(file, $"line {state.ObjectIndex}", $"one result line is longer than the {InputLimits.MaxLineBytes}-byte limit");
                    point = point with { Source = $"{file}#{state.ObjectIndex}" };
                }
                points.Add(point);
            }
        }
        catch (JsonException e)
        {
            throw Describe(span, reader.BytesConsumed, state, e);
        }
        if (points.Count == 0) throw new InputException(file, null, "no result object in the file (empty)");
        return points;
    }

    private static bool HasMoreContent(ReadOnlySpan<byte> rest)
    {
        foreach (var b in rest) if (b is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')) return true;
        return false;
    }

    /// <summary>Turns a reader failure into the one-line reason: truncation, a NaN/Infinity literal, or invalid JSON.</summary>
    private static InputException Describe(ReadOnlySpan<byte> data, long consumed, ParseState state, JsonException e)
    {
        var rest = data[(int)Math.Min(consumed, data.Length)..];
        var i = 0;
        while (i < rest.Length && rest[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)':' or (byte)',' or (byte)'[') i++;
        var tail = Encoding.ASCII.GetString(rest[i..Math.Min(rest.Length, i + 9)]);
        var field = state.FieldPath ?? (state.ObjectIndex > 1 ? $"line {state.ObjectIndex}" : null);
        if (tail.StartsWith("NaN", StringComparison.Ordinal) || tail.StartsWith("Infinity", StringComparison.Ordinal) || tail.StartsWith("-Infinity", StringComparison.Ordinal))
            return new InputException(state.File, field, $"{tail.Split(',', ']', '}')[0].Trim()} is not a finite number", e);
        if (IsTruncation(rest[i..], e))
            return new InputException(state.File, field, $"truncated JSON: the file ends at byte {data.Length} inside an unfinished value", e);
        return new InputException(state.File, field, "not valid JSON (" + e.Message.Split('\n')[0] + ")", e);
    }

    private static bool IsTruncation(ReadOnlySpan<byte> rest, JsonException e)
    {
        // The reader fails at the last complete token; if nothing after it closes the value, the file was cut.
        var depth = 0;
        var inString = false;
        for (var k = 0; k < rest.Length; k++)
        {
            var b = rest[k];
            if (inString) { if (b == '\\') k++; else if (b == '"') inString = false; continue; }
            if (b == '"') inString = true;
            else if (b is (byte)'{' or (byte)'[') depth++;
            else if (b is (byte)'}' or (byte)']') depth--;
        }
        return inString || depth >= 0 && e.Message.Contains("end of", StringComparison.OrdinalIgnoreCase) || rest.Length == 0;
    }
}

/// <summary>Where the reader is, so an error can name the field ("ttfts[123]").</summary>
internal sealed class ParseState(string file)
{
    public string File { get; } = file;
    public int ObjectIndex { get; set; } = 1;
    public string? Field { get; set; }
    public int? Index { get; set; }
    /// <summary>Numbers read into per-request arrays so far (bounded by InputLimits.MaxRequestValues).</summary>
    public long Values { get; set; }
    public long MaxValues { get; } = InputLimits.EffectiveCount(InputLimits.MaxRequestValues);
    public int MaxString { get; } = InputLimits.Effective(InputLimits.MaxStringBytes);
    public string? FieldPath => Field is null ? null : Index is { } i ? $"{Field}[{i}]" : Field;
}
