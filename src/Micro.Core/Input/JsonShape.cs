using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Micro.Core.Results;

namespace Micro.Core.Input;

/// <summary>
/// The shapes a deserialized document must have, read from the serializer's own contract of the type (the JSON layer
/// knows the schema): a property or list element declared non-nullable holds no null, and every number is finite
/// (an unknown figure, null in the file and NaN once read, and Infinity only where the caller allows them: a
/// results.jsonl line of a BabelStream import holds null for the figures BabelStream does not report; an older
/// analysis.json holds "Infinity" for a cost at zero throughput). Checked once
/// after deserialization, so no reader meets a null it did not declare. The first breach is one InputException
/// naming the file and the JSON path ("devices[0].ceilings").
/// </summary>
public static class JsonShape
{
    /// <summary>The non-finite numbers a document may hold (none unless its format says so).</summary>
    [Flags]
    public enum NonFinite { None = 0, NaN = 1, Infinity = 2 }

    private const int MaxDepth = 64;
    private static readonly ConcurrentDictionary<(Type, JsonSerializerOptions), Member[]> Members = new();

    private sealed record Member(string Name, Func<object, object?> Get, Type Type, bool NullAllowed, bool ElementsNullAllowed);

    public static void Validate(object value, string file, JsonSerializerOptions options, NonFinite allowed = NonFinite.None) =>
        Walk(value, value.GetType(), file, options, allowed, "", elementsNullAllowed: false, depth: 0);

    private static void Walk(object value, Type declared, string file, JsonSerializerOptions options, NonFinite allowed, string path,
        bool elementsNullAllowed, int depth)
    {
        if (depth > MaxDepth) return;
        switch (value)
        {
            case double d: Number(d, file, path, allowed); return;
            case float f: Number(f, file, path, allowed); return;
            case string or bool or Enum or DateTimeOffset or DateTime or decimal or JsonElement: return;
            case IConvertible: return;
            case IDictionary dictionary:
                foreach (DictionaryEntry e in dictionary)
                {
                    var at = Join(path, e.Key.ToString() ?? "");
                    if (e.Value is null) { if (!elementsNullAllowed) throw Null(file, at); continue; }
                    Walk(e.Value, e.Value.GetType(), file, options, allowed, at, false, depth + 1);
                }
                return;
            case IEnumerable items:
                var i = 0;
                foreach (var item in items)
                {
                    var at = $"{path}[{i++}]";
                    if (item is null) { if (!elementsNullAllowed) throw Null(file, at); continue; }
                    Walk(item, item.GetType(), file, options, allowed, at, false, depth + 1);
                }
                return;
        }
        foreach (var m in MembersOf(value.GetType(), options))
        {
            var v = m.Get(value);
            var at = Join(path, m.Name);
            if (v is null) { if (!m.NullAllowed) throw Null(file, at); continue; }
            Walk(v, m.Type, file, options, allowed, at, m.ElementsNullAllowed, depth + 1);
        }
    }

    private static void Number(double d, string file, string path, NonFinite allowed)
    {
        // NaN is how a null figure (or a "NaN" string of an older file) reads (NonFiniteAsNull).
        if (double.IsNaN(d) && !allowed.HasFlag(NonFinite.NaN)) throw new InputException(file, Field(path), "holds no figure (null or NaN) where a finite number is required");
        if (double.IsInfinity(d) && !allowed.HasFlag(NonFinite.Infinity)) throw new InputException(file, Field(path), $"{(d > 0 ? "Infinity" : "-Infinity")} is not a finite number");
    }

    private static InputException Null(string file, string path) =>
        new(file, Field(path), "is null or missing, where a value is required");

    private static string? Field(string path) => path.Length == 0 ? null : path;

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>The serialized properties of an object type, with the nullability its declaration states.</summary>
    private static Member[] MembersOf(Type type, JsonSerializerOptions options) => Members.GetOrAdd((type, options), key =>
    {
        var info = key.Item2.GetTypeInfo(key.Item1);
        if (info.Kind != JsonTypeInfoKind.Object) return [];
        var context = new NullabilityInfoContext();
        var list = new List<Member>();
        foreach (var p in info.Properties)
        {
            if (p.Get is null) continue;
            var nullable = p.PropertyType.IsValueType ? Nullable.GetUnderlyingType(p.PropertyType) is not null : p.IsGetNullable || p.IsSetNullable;
            var elementsNullable = false;
            if (p.AttributeProvider is PropertyInfo pi)
            {
                var n = context.Create(pi);
                if (!p.PropertyType.IsValueType) nullable = n.ReadState != NullabilityState.NotNull || n.WriteState == NullabilityState.Nullable;
                var args = n.ElementType is { } e ? [e] : n.GenericTypeArguments;
                // The element of a list, the value of a dictionary: the last generic argument.
                elementsNullable = args.Length > 0 && args[^1].ReadState != NullabilityState.NotNull;
            }
            list.Add(new Member(p.Name, p.Get, p.PropertyType, nullable, elementsNullable));
        }
        return list.ToArray();
    });
}
