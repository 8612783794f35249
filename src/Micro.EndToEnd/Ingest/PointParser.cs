using System.Text.Json;
using Micro.Core.Results;

namespace Micro.EndToEnd.Ingest;

/// <summary>Parses one vLLM result object from a Utf8JsonReader positioned on its StartObject.</summary>
internal static class PointParser
{
    public static BenchmarkPoint ParseObject(ref Utf8JsonReader r, ParseState s)
    {
        var stated = new Dictionary<(string, string), double>();
        double? duration = null, reqTput = null, goodput = null, outTput = null, totTput = null, rate = null, burst = null;
        long? completed = null, failed = null, numPrompts = null, totIn = null, totOut = null;
        int? maxConc = null;
        string? modelId = null, backend = null, date = null;
        var metadata = RunMetadata.None;
        var legacy = false;
        var rateStated = false;
        int[]? inLens = null, outLens = null;
        double[]? ttfts = null, lats = null;
        (double[] Flat, int[] Offsets)? itls = null;
        bool[]? errors = null;

        while (true)
        {
            s.Field = null; s.Index = null;
            if (!r.Read()) throw new JsonException("unexpected end of data");
            if (r.TokenType == JsonTokenType.EndObject) break;
            var name = Text(ref r, s);
            s.Field = name;
            if (!r.Read()) throw new JsonException("unexpected end of data");
            switch (name)
            {
                case "duration": duration = Positive(ref r, s); break;
                case "completed": completed = Count(ref r, s); break;
                case "failed": failed = Count(ref r, s); break;
                case "num_prompts": numPrompts = Count(ref r, s); break;
                case "total_input_tokens": totIn = Count(ref r, s); break;
                case "total_output_tokens": totOut = Count(ref r, s); break;
                case "request_throughput": reqTput = NonNegative(ref r, s); break;
                case "request_goodput": goodput = NullableNumber(ref r, s); break;
                case "request_goodput:": legacy = true; goodput = NullableNumber(ref r, s); break;
                case "output_throughput": outTput = NonNegative(ref r, s); break;
                case "total_token_throughput": totTput = NonNegative(ref r, s); break;
                case "max_concurrency": maxConc = r.TokenType == JsonTokenType.Null ? null : Int32Count(ref r, s); break;
                case "request_rate": rate = Rate(ref r, s); rateStated = true; break;
                case "burstiness": burst = NullableNumber(ref r, s); break;
                case "model_id": modelId = OptionalString(ref r, s); break;
                case "backend": backend = OptionalString(ref r, s); break;
                case "date": date = OptionalString(ref r, s); break;
                case "input_lens": inLens = IntArray(ref r, s); break;
                case "output_lens": outLens = IntArray(ref r, s); break;
                case "ttfts": ttfts = DoubleArray(ref r, s); break;
                case "latencies" or "e2els": lats = DoubleArray(ref r, s); break;
                case "itls": itls = NestedArray(ref r, s); break;
                case "errors": errors = ErrorArray(ref r, s); break;
                case var k when RunMetadata.Keys.Contains(k):
                    if (MetadataValue(ref r, s) is { } mv) metadata = metadata.With(k, mv);
                    break;
                default:
                    if (StatedMetricKey.TryParse(name, out var key))
                    {
                        if (NullableNumber(ref r, s) is { } v)
                        {
                            if (v < 0) throw new InputException(s.File, s.FieldPath, $"a latency must not be negative ({v})");
                            stated[key] = v;
                        }
                    }
                    else r.Skip();
                    break;
            }
        }
        s.Field = null;

        var dur = duration ?? throw Missing(s, "duration");
        var comp = completed ?? throw Missing(s, "completed");
        if (comp == 0)
            throw new InputException(s.File, s.ObjectIndex > 1 ? $"line {s.ObjectIndex}: completed" : "completed",
                "is 0: no request completed, so there is no latency, throughput or cost per request to analyze");
        var tin = totIn ?? throw Missing(s, "total_input_tokens");
        var tout = totOut ?? throw Missing(s, "total_output_tokens");
        if (!legacy && failed is null && goodput is null && stated.Count == 0 && reqTput is null)
            throw new InputException(s.File, null, "does not look like a vLLM serving result (no throughput or latency fields)");
        var arrays = BuildArrays(s, inLens, outLens, ttfts, lats, itls, errors);
        var point = new BenchmarkPoint
        {
            Source = s.File, Legacy = legacy, Duration = dur, Completed = comp, Failed = failed, NumPrompts = numPrompts,
            TotalInputTokens = tin, TotalOutputTokens = tout,
            RequestThroughput = reqTput ?? comp / dur, RequestGoodput = goodput,
            OutputThroughput = outTput ?? tout / dur, TotalTokenThroughput = totTput ?? (tin + tout) / dur,
            MaxConcurrency = maxConc, RequestRate = rate, RequestRateStated = rateStated, Burstiness = burst, ModelId = modelId, Backend = backend, Date = date,
            StatedMs = stated, Requests = arrays, Metadata = metadata,
        };
        return point with { Doubts = PlausibilityRules.Check(point, s.File, s.ObjectIndex > 1 ? $"line {s.ObjectIndex}" : null) };
    }

    private static RequestArrays? BuildArrays(ParseState s, int[]? inLens, int[]? outLens, double[]? ttfts, double[]? lats,
        (double[] Flat, int[] Offsets)? itls, bool[]? errors)
    {
        if (ttfts is null && outLens is null && itls is null) return null;
        if (ttfts is null) throw Missing(s, "ttfts", "per-request arrays need ttfts");
        if (outLens is null) throw Missing(s, "output_lens", "per-request arrays need output_lens");
        if (itls is null) throw Missing(s, "itls", "per-request arrays need itls");
        var n = ttfts.Length;
        void Same(string field, int len)
        {
            if (len != n) throw new InputException(s.File, field, $"has {len} entries but ttfts has {n}");
        }
        Same("output_lens", outLens.Length);
        Same("itls", itls.Value.Offsets.Length - 1);
        if (inLens is not null) Same("input_lens", inLens.Length);
        if (lats is not null) Same("latencies", lats.Length);
        if (errors is not null) Same("errors", errors.Length);
        var failed = errors ?? new bool[n];
        // Without an errors array, vLLM's failed requests show as ttft 0 with no output.
        if (errors is null)
            for (var i = 0; i < n; i++) failed[i] = ttfts[i] == 0 && outLens[i] == 0;
        return new RequestArrays
        {
            InputLens = inLens ?? new int[n], OutputLens = outLens, Ttfts = ttfts, Latencies = lats,
            ItlFlat = itls.Value.Flat, ItlOffsets = itls.Value.Offsets, Failed = failed,
        };
    }

    private static InputException Missing(ParseState s, string field, string? why = null) =>
        new(s.File, s.ObjectIndex > 1 ? $"line {s.ObjectIndex}: {field}" : field, why ?? "required field is missing");

    private static InputException Wrong(ref Utf8JsonReader r, ParseState s, string expected)
    {
        var found = r.TokenType switch
        {
            JsonTokenType.String => $"the string \"{Clip(Text(ref r, s))}\"",
            JsonTokenType.Number => "a number",
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            JsonTokenType.Null => "null",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.StartObject => "an object",
            _ => r.TokenType.ToString(),
        };
        return new InputException(s.File, s.FieldPath, $"expected {expected}, found {found}");
    }

    /// <summary>Model ids and the like are shown in reports; a hostile file cannot make them arbitrarily long.</summary>
    private const int MaxStringLength = 256;

    /// <summary>A string token, refused before it is materialized when it is longer than InputLimits.MaxStringBytes.</summary>
    private static string Text(ref Utf8JsonReader r, ParseState s)
    {
        var length = r.HasValueSequence ? r.ValueSequence.Length : r.ValueSpan.Length;
        if (length > s.MaxString)
            throw new InputException(s.File, s.FieldPath, $"a JSON string of {InputLimits.Describe(length)} is longer than the {InputLimits.Describe(s.MaxString)} limit");
        return r.GetString() ?? "";
    }

    private static InputException TooManyValues(ParseState s) =>
        new(s.File, s.Field, $"more than {s.MaxValues:N0} per-request values in one file (the ingest limit; analyze a sample of the requests)");

    private static string Clip(string v) => v.Length > 40 ? v[..40] + "..." : v;

    private static double Number(ref Utf8JsonReader r, ParseState s)
    {
        if (r.TokenType == JsonTokenType.String)
        {
            var text = Text(ref r, s);
            if (text.Equals("nan", StringComparison.OrdinalIgnoreCase)) throw new InputException(s.File, s.FieldPath, "NaN is not a finite number");
            throw Wrong(ref r, s, "a number");
        }
        if (r.TokenType != JsonTokenType.Number) throw Wrong(ref r, s, "a number");
        var v = r.GetDouble();
        if (!double.IsFinite(v)) throw new InputException(s.File, s.FieldPath, "number is out of range (not finite)");
        // -0 reads as 0: a sign on zero means nothing in a count or a time, and must not reach an output as "-0".
        return v == 0 ? 0 : v;
    }

    private static double? NullableNumber(ref Utf8JsonReader r, ParseState s) =>
        r.TokenType == JsonTokenType.Null ? null : Number(ref r, s);

    private static double NonNegative(ref Utf8JsonReader r, ParseState s)
    {
        var v = Number(ref r, s);
        if (v < 0) throw new InputException(s.File, s.FieldPath, $"must not be negative ({v})");
        return v;
    }

    private static double Positive(ref Utf8JsonReader r, ParseState s)
    {
        var v = Number(ref r, s);
        if (v <= 0) throw new InputException(s.File, s.FieldPath, $"must be positive ({v})");
        return v;
    }

    private static long Count(ref Utf8JsonReader r, ParseState s)
    {
        if (r.TokenType == JsonTokenType.Number && r.TryGetInt64(out var n))
        {
            if (n < 0) throw new InputException(s.File, s.FieldPath, $"must not be negative ({n})");
            return n;
        }
        if (r.TokenType == JsonTokenType.Number) throw new InputException(s.File, s.FieldPath, "expected a whole number");
        if (r.TokenType == JsonTokenType.String && r.ValueTextEquals("NaN"u8)) throw new InputException(s.File, s.FieldPath, "NaN is not a finite number");
        throw Wrong(ref r, s, "a whole number");
    }

    private static int Int32Count(ref Utf8JsonReader r, ParseState s)
    {
        var n = Count(ref r, s);
        return n <= int.MaxValue ? (int)n : throw new InputException(s.File, s.FieldPath, $"{n} is past the largest concurrency Micro reads ({int.MaxValue:N0})");
    }

    private static double? Rate(ref Utf8JsonReader r, ParseState s)
    {
        if (r.TokenType == JsonTokenType.String)
        {
            var t = Text(ref r, s);
            if (t.Equals("inf", StringComparison.OrdinalIgnoreCase) || t.Equals("infinity", StringComparison.OrdinalIgnoreCase)) return null;
        }
        if (r.TokenType == JsonTokenType.Null) return null;
        return Positive(ref r, s);
    }

    /// <summary>A `--metadata` value: vLLM writes strings; a number (as converted tables write them) is taken as its text,
    /// a whole one (8, 8.0) as an integer so that it reads back as a count.</summary>
    private static string? MetadataValue(ref Utf8JsonReader r, ParseState s)
    {
        if (r.TokenType == JsonTokenType.Number)
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            if (r.TryGetInt64(out var n)) return n.ToString(inv);
            if (!r.TryGetDouble(out var d) || !double.IsFinite(d)) throw Wrong(ref r, s, "a finite number or a string");
            return d == Math.Floor(d) && Math.Abs(d) < 1e15 ? ((long)d).ToString(inv) : d.ToString("R", inv);
        }
        if (r.TokenType is JsonTokenType.True or JsonTokenType.False) return r.TokenType == JsonTokenType.True ? "true" : "false";
        var v = OptionalString(ref r, s);
        return string.IsNullOrWhiteSpace(v) ? null : v.Trim();
    }

    private static string? OptionalString(ref Utf8JsonReader r, ParseState s)
    {
        if (r.TokenType == JsonTokenType.Null) return null;
        if (r.TokenType != JsonTokenType.String) throw Wrong(ref r, s, "a string");
        var v = Text(ref r, s);
        return v.Length > MaxStringLength ? v[..MaxStringLength] + "..." : v;
    }

    private static void StartArray(ref Utf8JsonReader r, ParseState s)
    {
        if (r.TokenType != JsonTokenType.StartArray) throw Wrong(ref r, s, "an array");
    }

    private static int[] IntArray(ref Utf8JsonReader r, ParseState s)
    {
        StartArray(ref r, s);
        var list = new List<int>(1024);
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (++s.Values > s.MaxValues) throw TooManyValues(s);
            if (r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var v) && v >= 0) { list.Add(v); continue; }
            s.Index = list.Count;
            if (r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var neg)) throw new InputException(s.File, s.FieldPath, $"must not be negative ({neg})");
            Count(ref r, s);
            throw Wrong(ref r, s, "a token count");
        }
        s.Index = null;
        return [.. list];
    }

    private static double[] DoubleArray(ref Utf8JsonReader r, ParseState s)
    {
        StartArray(ref r, s);
        var list = new List<double>(1024);
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (++s.Values > s.MaxValues) throw TooManyValues(s);
            if (TryTime(ref r, out var v)) { list.Add(v); continue; }
            s.Index = list.Count;
            Time(ref r, s);
        }
        s.Index = null;
        return [.. list];
    }

    /// <summary>The hot path of 100k-request files: a finite, non-negative number.</summary>
    private static bool TryTime(ref Utf8JsonReader r, out double v)
    {
        v = 0;
        return r.TokenType == JsonTokenType.Number && r.TryGetDouble(out v) && v >= 0 && double.IsFinite(v);
    }

    private static double Time(ref Utf8JsonReader r, ParseState s)
    {
        if (r.TokenType == JsonTokenType.Number && r.TryGetDouble(out var v) && v >= 0 && double.IsFinite(v)) return v;
        var x = Number(ref r, s);
        throw new InputException(s.File, s.FieldPath, $"a time must not be negative ({x})");
    }

    private static (double[] Flat, int[] Offsets) NestedArray(ref Utf8JsonReader r, ParseState s)
    {
        StartArray(ref r, s);
        var flat = new List<double>(1 << 16);
        var offsets = new List<int>(1024) { 0 };
        var field = s.Field;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            s.Index = offsets.Count - 1;
            StartArray(ref r, s);
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                if (++s.Values > s.MaxValues) throw TooManyValues(s);
                if (TryTime(ref r, out var v)) { flat.Add(v); continue; }
                // Only the error path pays for naming the element ("itls[12][3]").
                s.Field = $"{field}[{offsets.Count - 1}]";
                s.Index = flat.Count - offsets[^1];
                Time(ref r, s);
            }
            offsets.Add(flat.Count);
        }
        s.Index = null;
        return ([.. flat], [.. offsets]);
    }

    private static bool[] ErrorArray(ref Utf8JsonReader r, ParseState s)
    {
        StartArray(ref r, s);
        var list = new List<bool>(1024);
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (++s.Values > s.MaxValues) throw TooManyValues(s);
            s.Index = list.Count;
            list.Add(r.TokenType switch
            {
                JsonTokenType.Null => false,
                JsonTokenType.String => !r.ValueTextEquals(""u8),
                _ => throw Wrong(ref r, s, "an error string or null"),
            });
        }
        s.Index = null;
        return [.. list];
    }
}
