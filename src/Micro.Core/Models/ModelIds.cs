namespace Micro.Core.Models;

/// <summary>Whether a run's model_id names the same model as --model (a preset's Hugging Face id or config.json's _name_or_path).</summary>
public static class ModelIds
{
    /// <summary>
    /// Case-insensitive; equal as given, or equal in the part after the last '/' ("gpt-oss-120b" is "openai/gpt-oss-120b"),
    /// or the same family once variant tags are dropped (<see cref="Family"/>).
    /// A Hugging Face hub cache path (".../models--openai--gpt-oss-120b/snapshots/HASH/", what vLLM records when served
    /// from the cache) stands for the repository it caches.
    /// </summary>
    public static bool Same(string a, string b)
    {
        var x = Normalize(a);
        var y = Normalize(b);
        if (x.Length == 0 || y.Length == 0) return false;
        return string.Equals(x, y, StringComparison.OrdinalIgnoreCase) || string.Equals(Tail(x), Tail(y), StringComparison.OrdinalIgnoreCase)
            || string.Equals(Family(Tail(x)), Family(Tail(y)), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Variant tags that keep the architecture: Meta's old "Meta-" prefix and the instruct/chat/base/hf suffixes.</summary>
    private static readonly string[] VariantSuffixes = ["-instruct", "-chat", "-base", "-hf", "-it"];

    /// <summary>
    /// The name without variant tags, so "Meta-Llama-3.1-8B-Instruct", "Llama-3.1-8B" and "llama-3.1-8b-instruct" are one
    /// architecture (the step model reads only the architecture); sizes, versions and quantizations stay.
    /// </summary>
    public static string Family(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        if (n.StartsWith("meta-", StringComparison.Ordinal)) n = n["meta-".Length..];
        return StripSuffixes(n, VariantSuffixes, out _);
    }

    /// <summary>
    /// <paramref name="n"/> with any of <paramref name="suffixes"/> dropped from its end until none is left (never the whole
    /// name); <paramref name="outermost"/> is the index of the first one dropped, else -1.
    /// </summary>
    private static string StripSuffixes(string n, string[] suffixes, out int outermost)
    {
        outermost = -1;
        for (var changed = true; changed;)
        {
            changed = false;
            for (var i = 0; i < suffixes.Length; i++)
                if (n.EndsWith(suffixes[i], StringComparison.Ordinal) && n.Length > suffixes[i].Length)
                {
                    n = n[..^suffixes[i].Length];
                    if (outermost < 0) outermost = i;
                    changed = true;
                }
        }
        return n;
    }

    /// <summary>Trailing slashes dropped; a hub cache path becomes ORG/NAME.</summary>
    public static string Normalize(string id)
    {
        var parts = id.Trim().Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
        foreach (var p in parts)
            if (p.StartsWith("models--", StringComparison.Ordinal) && p.Length > "models--".Length)
                return p["models--".Length..].Replace("--", "/", StringComparison.Ordinal);
        return string.Join('/', parts);
    }

    /// <summary>Quantization tags a checkpoint's name ends with, and the weight dtype each stands for.</summary>
    private static readonly (string Suffix, string Dtype)[] QuantSuffixes =
    [
        ("-fp8-dynamic", "fp8"), ("-fp8-kv", "fp8"), ("-fp8", "fp8"), ("-w8a8", "int8"), ("-int8", "int8"), ("-nvfp4", "nvfp4"), ("-fp4", "nvfp4"),
        ("-mxfp4", "mxfp4"), ("-awq", "int4"), ("-gptq", "int4"), ("-int4", "int4"), ("-w4a16", "int4"),
    ];

    private static readonly string[] QuantTags = QuantSuffixes.Select(q => q.Suffix).ToArray();

    /// <summary>
    /// A checkpoint's name without its quantization tags ("nvidia/Llama-3.1-8B-Instruct-FP8" is "llama-3.1-8b-instruct",
    /// tagged fp8), and the weight dtype the outermost tag stands for (null: untagged). The architecture stays; the
    /// weights are the run's to state.
    /// </summary>
    public static (string Base, string? Dtype) SplitQuantization(string id)
    {
        var bare = StripSuffixes(Tail(Normalize(id)).ToLowerInvariant(), QuantTags, out var outermost);
        return (bare, outermost < 0 ? null : QuantSuffixes[outermost].Dtype);
    }

    /// <summary>The same model up to quantization tags: one architecture, whatever weights each checkpoint stores.</summary>
    public static bool SameArchitecture(string a, string b) => Same(a, b) || Same(SplitQuantization(a).Base, SplitQuantization(b).Base);

    private static string Tail(string id) => id[(id.LastIndexOf('/') + 1)..];
}
