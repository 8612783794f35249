using System.Globalization;
using System.Text.Json;
using Micro.Core.Results;

namespace Micro.EndToEnd.Traffic;

/// <summary>
/// Reads a request trace, one row at a time, the format told by its first line: an Azure LLM inference trace CSV
/// (TIMESTAMP,ContextTokens,GeneratedTokens), a plain CSV (arrival_s,input_tokens,output_tokens), or Mooncake JSON
/// lines ({"timestamp": ms, "input_length", "output_length", "hash_ids"}). Any other file returns null (the caller
/// reads it as a vLLM result). A malformed row is one InputException naming the file, line and field.
/// </summary>
public static class TraceReader
{
    /// <summary>The most requests one trace may hold (each costs about 100 bytes in the simulation).</summary>
    public const int MaxRequests = 2_000_000;
    /// <summary>The most hash ids one Mooncake row may carry (a 10M-token prompt at 512 tokens per hash).</summary>
    public const int MaxHashIds = 20_000;
    private const int MaxTokens = 100_000_000;

    public static RequestTrace? TryRead(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, null, "no such file");
        using var reader = new StreamReader(path);
        var first = reader.ReadLine();
        while (first is not null && first.Trim().Length == 0) first = reader.ReadLine();
        if (first is null) throw new InputException(path, null, "is empty");
        var head = first.Trim().TrimStart('\uFEFF');
        var columns = head.Split(',').Select(c => c.Trim().ToLowerInvariant()).ToArray();
        if (columns.SequenceEqual(["timestamp", "contexttokens", "generatedtokens"])) return Csv(path, reader, TraceFormat.AzureCsv);
        if (columns.SequenceEqual(["arrival_s", "input_tokens", "output_tokens"])) return Csv(path, reader, TraceFormat.PlainCsv);
        if (head.StartsWith('{') && head.EndsWith('}') && head.Contains("\"timestamp\"", StringComparison.Ordinal) && head.Contains("\"input_length\"", StringComparison.Ordinal))
            return Mooncake(path, first, reader);
        return null;
    }

    private static RequestTrace Csv(string path, StreamReader reader, TraceFormat format)
    {
        var list = new List<TraceRequest>();
        DateTime? t0 = null;
        var line = 1;
        double last = double.NegativeInfinity;
        var sorted = true;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Trim().Length == 0) continue;
            var f = text.Split(',');
            if (f.Length != 3) throw new InputException($"{path}:{line}", null, $"expected 3 comma-separated fields, found {f.Length}");
            double at;
            if (format == TraceFormat.AzureCsv)
            {
                if (!DateTime.TryParse(f[0].Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var ts))
                    throw new InputException($"{path}:{line}", "TIMESTAMP", $"'{Clip(f[0])}' is not a date and time (expected like 2023-11-16 18:15:46.6805900)");
                t0 ??= ts;
                at = (ts - t0.Value).TotalSeconds;
            }
            else at = Number(path, line, "arrival_s", f[0]);
            var input = Tokens(path, line, format == TraceFormat.AzureCsv ? "ContextTokens" : "input_tokens", f[1]);
            var output = Tokens(path, line, format == TraceFormat.AzureCsv ? "GeneratedTokens" : "output_tokens", f[2]);
            if (at < last) sorted = false;
            last = at;
            Add(list, path, new TraceRequest(at, input, output));
        }
        return Finish(path, format, list, sorted);
    }

    private static RequestTrace Mooncake(string path, string first, StreamReader reader)
    {
        var list = new List<TraceRequest>();
        var line = 0;
        double last = double.NegativeInfinity;
        var sorted = true;
        for (var text = first; text is not null; text = reader.ReadLine())
        {
            line++;
            if (text.Trim().Length == 0) continue;
            JsonDocument doc;
            try { doc = JsonDocument.Parse(text); }
            catch (JsonException e) { throw new InputException($"{path}:{line}", null, "not a JSON object: " + Clip(e.Message)); }
            using (doc)
            {
                var o = doc.RootElement;
                if (o.ValueKind != JsonValueKind.Object) throw new InputException($"{path}:{line}", null, "not a JSON object");
                var ms = JsonNumber(path, line, o, "timestamp");
                var input = (int)JsonNumber(path, line, o, "input_length", integer: true);
                var output = (int)JsonNumber(path, line, o, "output_length", integer: true);
                int[]? hashes = null;
                if (o.TryGetProperty("hash_ids", out var h))
                {
                    if (h.ValueKind != JsonValueKind.Array) throw new InputException($"{path}:{line}", "hash_ids", "must be an array of integers");
                    var n = h.GetArrayLength();
                    if (n > MaxHashIds) throw new InputException($"{path}:{line}", "hash_ids", $"{n} hashes exceed the limit of {MaxHashIds}");
                    hashes = new int[n];
                    var i = 0;
                    foreach (var e in h.EnumerateArray())
                    {
                        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out var v))
                            throw new InputException($"{path}:{line}", "hash_ids", $"element {i} is not a 32-bit integer");
                        hashes[i++] = v;
                    }
                }
                var at = ms / 1e3;
                if (at < last) sorted = false;
                last = at;
                Add(list, path, new TraceRequest(at, input, output, hashes));
            }
        }
        return Finish(path, TraceFormat.MooncakeJsonl, list, sorted);
    }

    private static void Add(List<TraceRequest> list, string path, TraceRequest r)
    {
        if (list.Count >= MaxRequests) throw new InputException(path, null, $"holds more than {MaxRequests} requests, the most one trace may have; cut it with --window or split the file");
        list.Add(r);
    }

    private static RequestTrace Finish(string path, TraceFormat format, List<TraceRequest> list, bool sorted)
    {
        if (list.Count == 0) throw new InputException(path, null, "has a header but no requests");
        if (!sorted) list.Sort((a, b) => a.ArrivalSeconds.CompareTo(b.ArrivalSeconds));
        var t0 = list[0].ArrivalSeconds;
        if (t0 != 0)
            for (var i = 0; i < list.Count; i++) list[i] = list[i] with { ArrivalSeconds = list[i].ArrivalSeconds - t0 };
        return new RequestTrace(path, format, list);
    }

    private static double Number(string path, int line, string field, string text)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < 0)
            throw new InputException($"{path}:{line}", field, $"'{Clip(text)}' is not a non-negative number");
        return v;
    }

    private static int Tokens(string path, int line, string field, string text)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < 0 || v > MaxTokens)
            throw new InputException($"{path}:{line}", field, $"'{Clip(text)}' is not a token count (an integer from 0 to {MaxTokens})");
        return v;
    }

    private static double JsonNumber(string path, int line, JsonElement o, string field, bool integer = false)
    {
        if (!o.TryGetProperty(field, out var e)) throw new InputException($"{path}:{line}", field, "missing");
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out var v) || !double.IsFinite(v) || v < 0)
            throw new InputException($"{path}:{line}", field, "must be a non-negative number");
        if (integer && (v != Math.Floor(v) || v > MaxTokens)) throw new InputException($"{path}:{line}", field, $"must be an integer from 0 to {MaxTokens}");
        return v;
    }

    private static string Clip(string s) => s.Length > 40 ? s[..40] + "..." : s;
}
