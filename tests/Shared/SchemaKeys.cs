using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Micro.Core.Results;

namespace Micro.Tests.Shared;

/// <summary>
/// The public key set of a schema: a fully populated instance of its record (every property set, every list and
/// dictionary holding one element, dictionary keys written "*"), serialized the way Micro writes it, flattened to one
/// key path per leaf ("time.median", "devices[].ceilings[].name", "parameters.*"). Compared against the golden lists in
/// tests/Micro.Core.Tests/Golden (MICRO_UPDATE_GOLDEN=1 rewrites them instead).
/// </summary>
public static class SchemaKeys
{
    public static readonly string[] Mangled = ["_m_hz", "_g_bps", "per1_m", "d_type"];

    public static string GoldenDirectory => Path.Combine(TestPaths.RepoRoot, "tests", "Micro.Core.Tests", "Golden");

    public static bool Updating => Environment.GetEnvironmentVariable("MICRO_UPDATE_GOLDEN") == "1";

    /// <summary>The key paths of a populated T as written by MicroJson.</summary>
    public static IReadOnlyList<string> Of<T>() => OfJson(JsonSerializer.Serialize(Populate<T>(), MicroJson.Pretty));

    public static IReadOnlyList<string> OfJson(string json)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        Walk(JsonNode.Parse(json), "", paths);
        return paths.ToArray();
    }

    /// <summary>The golden list of a file (one key path per line, '#' comments), or the actual one written there when updating.</summary>
    public static void AssertGolden(string name, IReadOnlyList<string> actual)
    {
        var path = Path.Combine(GoldenDirectory, name + ".txt");
        if (Updating)
        {
            var header = File.Exists(path) ? File.ReadLines(path).TakeWhile(l => l.StartsWith('#')).ToList() : [];
            File.WriteAllLines(path, header.Concat(actual));
            return;
        }
        var golden = Read(name);
        var missing = golden.Except(actual, StringComparer.Ordinal).ToList();
        var added = actual.Except(golden, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && added.Count == 0,
            $"{name}: keys differ from {path} (a new key: add it to the list; a rename or removal: bump the schema version)\n" +
            $"  missing: {string.Join(", ", missing)}\n  new: {string.Join(", ", added)}");
    }

    public static IReadOnlyList<string> Read(string name) =>
        File.ReadAllLines(Path.Combine(GoldenDirectory, name + ".txt")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    private static void Walk(JsonNode? node, string prefix, SortedSet<string> paths)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o) Walk(value, prefix.Length == 0 ? key : prefix + "." + key, paths);
                break;
            case JsonArray a when a.Count > 0:
                foreach (var item in a) Walk(item, prefix + "[]", paths);
                break;
            default:
                paths.Add(prefix);
                break;
        }
    }

    public static T Populate<T>() => (T)Populate(typeof(T), 0)!;

    private static object? Populate(Type t, int depth)
    {
        if (depth > 10) return null;
        if (Nullable.GetUnderlyingType(t) is { } inner) return Populate(inner, depth);
        if (t == typeof(string)) return "s";
        if (t == typeof(bool)) return true;
        if (t == typeof(double)) return 1.5;
        if (t == typeof(float)) return 1.5f;
        if (t == typeof(int)) return 1;
        if (t == typeof(long)) return 1L;
        if (t == typeof(ulong)) return 1UL;
        if (t == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
        if (t == typeof(DateTime)) return new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc);
        if (t.IsEnum) return Enum.GetValues(t).GetValue(0);
        if (DictionaryValueType(t) is { } valueType)
        {
            var dict = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
            dict["*"] = Populate(valueType, depth + 1);
            return dict;
        }
        if (ElementType(t) is { } element)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>))
            {
                var list = (IList)Activator.CreateInstance(t)!;
                list.Add(Populate(element, depth + 1));
                return list;
            }
            var array = Array.CreateInstance(element, 1);
            array.SetValue(Populate(element, depth + 1), 0);
            return array;
        }
        var ctor = t.GetConstructor(Type.EmptyTypes) ?? t.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var instance = ctor.Invoke(ctor.GetParameters().Select(p => Populate(p.ParameterType, depth + 1)).ToArray());
        foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
                p.SetValue(instance, Populate(p.PropertyType, depth + 1));
        return instance;
    }

    private static Type? DictionaryValueType(Type t)
    {
        var dict = t.IsGenericType && t.GetGenericTypeDefinition() is var d &&
                   (d == typeof(IReadOnlyDictionary<,>) || d == typeof(IDictionary<,>) || d == typeof(Dictionary<,>) || d == typeof(SortedDictionary<,>))
            ? t : null;
        return dict?.GetGenericArguments() is [var k, var v] && k == typeof(string) ? v : null;
    }

    private static Type? ElementType(Type t)
    {
        if (t.IsArray) return t.GetElementType();
        if (!t.IsGenericType) return null;
        var d = t.GetGenericTypeDefinition();
        return d == typeof(IReadOnlyList<>) || d == typeof(IList<>) || d == typeof(List<>) || d == typeof(IEnumerable<>) || d == typeof(IReadOnlyCollection<>)
            ? t.GetGenericArguments()[0] : null;
    }
}
