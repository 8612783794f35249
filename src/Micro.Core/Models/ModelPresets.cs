using System.Text.Json;
using Micro.Core.Results;

namespace Micro.Core.Models;

/// <summary>
/// One named model: the Hugging Face repository it stands for, where its architecture fields come from, and those fields
/// as config.json text, parsed by the same ModelConfigReader as a user's file.
/// </summary>
public sealed record ModelPreset(string Name, string HuggingFaceId, string Source, string ConfigJson);

/// <summary>
/// The one table of named models (attention, gemm --model and predict all read it): every architecture field
/// ModelConfigReader reads, so a preset stands in for the model's full config.json.
/// </summary>
public static partial class ModelPresets
{
    // Built on first use: static initializers of partial-class files run in no promised order, and Table is in another file.
    private static Dictionary<string, ModelPreset>? byName;
    private static Dictionary<string, ModelPreset> ByName => byName ??= Table.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<ModelPreset> All => Table;

    public static IReadOnlyCollection<string> Names => Table.Select(p => p.Name).ToList();

    public static ModelPreset? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The preset's config (Name the preset name, ModelId its Hugging Face id, Source "preset:NAME").</summary>
    public static bool TryGet(string name, out ModelConfig config)
    {
        config = null!;
        if (Find(name) is not { } preset) return false;
        config = Parse(preset);
        return true;
    }

    public static ModelConfig Parse(ModelPreset preset)
    {
        using var doc = JsonDocument.Parse(preset.ConfigJson);
        return ModelConfigReader.Parse(doc.RootElement, "preset:" + preset.Name, preset.Name) with { ModelId = preset.HuggingFaceId };
    }

    /// <summary>A preset name, or a path to a config.json (read and checked by ModelConfigReader); neither is one line naming both.</summary>
    public static ModelConfig Resolve(string nameOrPath)
    {
        if (TryGet(nameOrPath, out var c)) return c;
        if (!File.Exists(nameOrPath))
            throw new InputException(nameOrPath, null, $"neither a preset ({string.Join(", ", Names)}) nor an existing config.json");
        return ModelConfigReader.Read(nameOrPath);
    }
}
