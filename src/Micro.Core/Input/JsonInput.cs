using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Micro.Core.Results;

namespace Micro.Core.Input;

/// <summary>
/// Untrusted JSON: one bounded pass that caps depth and the size of every string before anything is materialized,
/// and JsonException turned into plain words (field, the kind that was expected, what the bytes are), never a .NET type name.
/// </summary>
public static partial class JsonInput
{
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Reads, checks and deserializes a JSON file with Micro's options; every failure is one InputException.</summary>
    public static T Deserialize<T>(string path, long limit, JsonSerializerOptions options, string what, JsonShape.NonFinite allowed = JsonShape.NonFinite.None) =>
        Parse<T>(Strip(BoundedFile.ReadAllBytes(path, limit)), path, options, what, allowed);

    /// <summary>
    /// Checks (Check), deserializes and validates the shape (JsonShape) of one JSON document already in memory: the one
    /// path from bytes to a typed value for every reader of Micro's own files.
    /// </summary>
    public static T Parse<T>(ReadOnlySpan<byte> span, string origin, JsonSerializerOptions options, string what, JsonShape.NonFinite allowed = JsonShape.NonFinite.None)
    {
        Check(span, origin, what);
        T? value;
        try { value = LegacySchema.Deserialize<T>(span, options); }
        catch (JsonException e) { throw Describe(origin, span, e, what); }
        catch (NotSupportedException e) { throw new InputException(origin, null, $"not {what} ({e.Message.Split('\n')[0]})", e); }
        catch (InvalidOperationException e) { throw new InputException(origin, null, $"not {what} ({Plain(e.Message.Split('\n')[0])})", e); }
        if (value is null) throw new InputException(origin, null, $"not {what}: the file holds null");
        JsonShape.Validate(value, origin, options, allowed);
        return value;
    }

    public static ReadOnlySpan<byte> Strip(byte[] data) => data.AsSpan().StartsWith(Bom) ? data.AsSpan(3) : data;

    /// <summary>
    /// Refuses an empty file, bytes that are not JSON, a string past InputLimits.MaxStringBytes, nesting past MaxJsonDepth,
    /// a key twice in one object, a string that is not valid UTF-8 or holds a lone UTF-16 surrogate escape, and a number
    /// past the range of a double. Every reader of JSON passes its bytes through here first.
    /// </summary>
    public static void Check(ReadOnlySpan<byte> data, string file, string what, bool multipleValues = false)
    {
        CheckStart(data, file, what);
        var maxString = InputLimits.Effective(InputLimits.MaxStringBytes);
        var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = InputLimits.MaxJsonDepth, AllowMultipleValues = multipleValues });
        // Where the reader stands, so a message names the field by its whole path ("devices[0].ceilings[1].unit").
        var path = new JsonPath();
        try
        {
            while (reader.Read())
            {
                var token = reader.TokenType;
                if (token is not (JsonTokenType.PropertyName or JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.Comment)) path.Value();
                switch (token)
                {
                    case JsonTokenType.StartObject: path.Open(array: false); continue;
                    case JsonTokenType.StartArray: path.Open(array: true); continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray: path.Close(); continue;
                    case JsonTokenType.Number: CheckNumber(ref reader, file, path.Field); continue;
                    case JsonTokenType.String or JsonTokenType.PropertyName: break;
                    default: continue;
                }
                if (reader.ValueSpan.Length > maxString)
                    throw new InputException(file, token == JsonTokenType.PropertyName ? path.Parent : path.Field,
                        $"a JSON string of {InputLimits.Describe(reader.ValueSpan.Length)} is longer than the {InputLimits.Describe(maxString)} limit");
                var text = CheckText(ref reader, file, token == JsonTokenType.PropertyName ? path.Parent : path.Field);
                if (token != JsonTokenType.PropertyName) continue;
                var name = text ?? Encoding.UTF8.GetString(reader.ValueSpan);
                if (!path.Key(name)) throw new InputException(file, path.Field, "the key appears twice in one object (which one counts is ambiguous)");
            }
        }
        catch (JsonException e) { throw Describe(file, data, e, what); }
    }

    /// <summary>The unescaped text of an escaped string (null when not escaped), or one line for invalid UTF-8 or a lone surrogate.</summary>
    private static string? CheckText(ref Utf8JsonReader reader, string file, string? field)
    {
        if (!reader.ValueIsEscaped)
        {
            if (!System.Text.Unicode.Utf8.IsValid(reader.ValueSpan)) throw new InputException(file, field, "a string that is not valid UTF-8");
            return null;
        }
        try { return reader.GetString(); }
        catch (InvalidOperationException) { throw new InputException(file, field, "a string with invalid UTF-16 (a lone surrogate escape such as \\ud800) or invalid UTF-8"); }
    }

    /// <summary>A number too large for a double (1e400) would be read as Infinity: refused here, wherever it stands.</summary>
    private static void CheckNumber(ref Utf8JsonReader reader, string file, string? field)
    {
        var span = reader.ValueSpan;
        if (span.Length < 16 && span.IndexOfAny((byte)'e', (byte)'E') < 0) return;
        if (!reader.TryGetDouble(out var d) || !double.IsFinite(d))
            throw new InputException(file, field, $"the number {Printable(Encoding.UTF8.GetString(span[..Math.Min(span.Length, 24)]))}{(span.Length > 24 ? "..." : "")} is past the range of a double");
    }

    /// <summary>Refuses an empty file, binary data, or text that does not start like a JSON object or array.</summary>
    public static void CheckStart(ReadOnlySpan<byte> data, string file, string what)
    {
        if (FirstContent(data) is not { } first) throw new InputException(file, null, $"the file is empty (expected {what})");
        if (IsBinary(data)) throw new InputException(file, null, $"not JSON: binary data ({StartsWith(data)}; expected {what})");
        if (first is not ((byte)'{' or (byte)'[')) throw new InputException(file, null, $"not JSON: {StartsWith(data)} (expected {what})");
    }

    /// <summary>A reader or serializer failure as one line: truncation, binary data, wrong kind at a path, or where the syntax broke.</summary>
    public static InputException Describe(string file, ReadOnlySpan<byte> data, JsonException e, string what)
    {
        var message = e.Message.Split('\n')[0];
        var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? null : e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path;
        if (ConvertedTo().Match(message) is { Success: true } m)
        {
            var (expected, found) = (KindOf(m.Groups[1].Value), FoundAt(data, e));
            return new InputException(file, field, expected == "a whole number" && found == "a number"
                ? $"expected a whole number that fits {WholeRange(m.Groups[1].Value)}, found a number past that range or with a fraction"
                : $"expected {expected}, found {found}", e);
        }
        if (MissingRequired().Match(message) is { Success: true } missing)
            return new InputException(file, field, $"not {what}: required field(s) missing: {Printable(missing.Groups[1].Value.TrimEnd('.'))}", e);
        if (message.Contains("depth", StringComparison.OrdinalIgnoreCase) && message.Contains("maximum", StringComparison.OrdinalIgnoreCase))
            return new InputException(file, field, $"nested deeper than {InputLimits.MaxJsonDepth} levels", e);
        if (IsBinary(data)) return new InputException(file, null, $"not JSON: binary data ({StartsWith(data)}; expected {what})", e);
        var where = e.LineNumber is { } l ? $" at line {l + 1}, byte {e.BytePositionInLine + 1}" : "";
        if (message.Contains("end of data", StringComparison.OrdinalIgnoreCase) || message.Contains("incomplete", StringComparison.OrdinalIgnoreCase)
            || message.Contains("Expected depth to be zero", StringComparison.Ordinal))
            return new InputException(file, field, $"truncated JSON: the file ends{where} inside an unfinished value", e);
        return new InputException(file, field, $"not valid JSON{where}: {Plain(message)}", e);
    }

    /// <summary>The kind a .NET type stands for, in words ("a number", "an array").</summary>
    public static string KindOf(string typeName)
    {
        var t = typeName.Replace("System.Nullable`1[", "").TrimEnd(']');
        if (t.Contains("Dictionary`", StringComparison.Ordinal)) return "an object of named values";
        if (t.Contains("List`", StringComparison.Ordinal) || t.Contains("Enumerable`", StringComparison.Ordinal) || t.EndsWith("[]", StringComparison.Ordinal)) return "an array";
        var simple = t[(t.LastIndexOf('.') + 1)..];
        return simple switch
        {
            "Double" or "Single" or "Decimal" => "a number",
            "Int32" or "Int64" or "Int16" or "UInt32" or "UInt64" or "Byte" => "a whole number",
            "String" or "Char" => "a string",
            "Boolean" => "true or false",
            "DateTimeOffset" or "DateTime" => "a date and time string",
            _ => "an object",
        };
    }

    private static string WholeRange(string typeName) => typeName.Replace("System.Nullable`1[", "").TrimEnd(']') switch
    {
        "System.Int32" => "a 32-bit integer (at most 2,147,483,647)",
        "System.Int64" => "a 64-bit integer",
        "System.Int16" => "a 16-bit integer",
        "System.UInt32" => "an unsigned 32-bit integer",
        "System.UInt64" => "an unsigned 64-bit integer",
        "System.Byte" => "a byte (0-255)",
        _ => "its type",
    };

    private static string FoundAt(ReadOnlySpan<byte> data, JsonException e)
    {
        if (e.LineNumber is not { } line || e.BytePositionInLine is not { } col) return "another kind of value";
        var pos = 0;
        for (var l = 0L; l < line && pos < data.Length; pos++) if (data[pos] == '\n') l++;
        // The serializer reports the position after the token; look back at the token's first byte.
        var end = (int)Math.Min(data.Length, pos + col);
        var start = end - 1;
        while (start > pos && data[start] is not ((byte)':' or (byte)'[' or (byte)',')) start--;
        var token = start + 1 < end ? FirstContent(data[(start + 1)..end]) : null;
        return token switch
        {
            (byte)'"' => "a string",
            (byte)'[' => "an array",
            (byte)'{' => "an object",
            (byte)'t' or (byte)'f' => "a boolean",
            (byte)'n' => "null",
            (byte)'-' or (>= (byte)'0' and <= (byte)'9') => "a number",
            _ => "another kind of value",
        };
    }

    private static byte? FirstContent(ReadOnlySpan<byte> data)
    {
        foreach (var b in data) if (b is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')) return b;
        return null;
    }

    public static bool IsBinary(ReadOnlySpan<byte> data)
    {
        var head = data[..Math.Min(data.Length, 4096)];
        if (head.Contains((byte)0)) return true;
        // Do not count a multi-byte character cut by the 4 KiB window (or a read of the head only) as invalid.
        if (head.Length >= 4)
        {
            var end = head.Length;
            while (end > 0 && head.Length - end < 4 && (head[end - 1] & 0xC0) == 0x80) end--;
            if (end > 0 && head[end - 1] >= 0xC0) end--;
            head = head[..end];
        }
        return !System.Text.Unicode.Utf8.IsValid(head);
    }

    private static string StartsWith(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length && data[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') i++;
        var b = data[i];
        return b is >= 0x20 and < 0x7F ? $"it starts with '{(char)b}'" : $"it starts with byte 0x{b:X2}";
    }

    private static string Plain(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var m = cut > 0 ? message[..cut] : message;
        cut = m.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? m[..cut] : m).TrimEnd('.', ' ', '|');
    }

    /// <summary>Control characters out, length capped: safe in a one-line message.</summary>
    private static string Printable(string s) => new(s.Where(c => !char.IsControl(c)).Take(64).ToArray());

    [GeneratedRegex(@"missing required properties including: (.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"could not be converted to (\S+?)\.? Path", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertedTo();

    /// <summary>The path of the value a forward-only reader stands on, and the keys seen in each open object.</summary>
    private sealed class JsonPath
    {
        private sealed class Frame(bool array)
        {
            public readonly bool Array = array;
            public int Index = -1;
            public string? Key;
            public HashSet<string>? Keys;
        }

        private readonly List<Frame> _frames = [];

        /// <summary>A value starts: in an array it is the next element.</summary>
        public void Value()
        {
            if (_frames.Count > 0 && _frames[^1].Array) _frames[^1].Index++;
        }

        public void Open(bool array) => _frames.Add(new Frame(array));

        public void Close()
        {
            if (_frames.Count > 0) _frames.RemoveAt(_frames.Count - 1);
        }

        /// <summary>A key of the innermost object; false when that object already had it.</summary>
        public bool Key(string name)
        {
            if (_frames.Count == 0 || _frames[^1].Array) return true;
            var f = _frames[^1];
            f.Key = name;
            return (f.Keys ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
        }

        /// <summary>The path of the current value (null at the top), keys cleaned for a one-line message.</summary>
        public string? Field => Join(_frames.Count);

        /// <summary>The path of the innermost open object or array (where a bad key stands).</summary>
        public string? Parent => Join(_frames.Count - 1);

        private string? Join(int frames)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < frames; i++)
            {
                var f = _frames[i];
                if (f.Array) { if (f.Index >= 0) sb.Append('[').Append(f.Index).Append(']'); }
                else if (f.Key is { } k) sb.Append(sb.Length == 0 ? "" : ".").Append(k.Length <= 64 ? Printable(k) : Printable(k[..64]) + "...");
            }
            return sb.Length == 0 ? null : sb.ToString();
        }
    }
}
