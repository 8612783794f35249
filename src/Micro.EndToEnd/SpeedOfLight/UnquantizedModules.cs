using System.Text.RegularExpressions;
using Micro.Core.Models;
using Micro.Core.Results;

namespace Micro.EndToEnd.SpeedOfLight;

/// <summary>
/// Which weight groups a checkpoint keeps out of quantization, from its list of modules (transformers'
/// modules_to_not_convert, compressed-tensors' and modelopt's ignore, hf_quant_config's exclude_modules). An entry is a
/// module name or name fragment ("lm_head", "model.layers.*.self_attn"), matched where a group's key starts a name
/// segment (so "shared_experts" is not the routed "experts"), or, prefixed "re:", a regular expression that
/// compressed-tensors matches from the start of a module's name; it is tried on the names the groups carry in the
/// Hugging Face layout.
/// </summary>
public static class UnquantizedModules
{
    /// <summary>Module names of each group as Hugging Face checkpoints spell them (layer and expert 0 stand for all).</summary>
    private static readonly Dictionary<LinearRole, string[]> Names = new()
    {
        [LinearRole.Attention] = ["model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.q_a_proj", "model.layers.0.self_attn.o_proj"],
        [LinearRole.Router] = ["model.layers.0.mlp.gate", "model.layers.0.mlp.router"],
        [LinearRole.Mlp] = ["model.layers.0.mlp.down_proj", "model.layers.0.mlp.shared_experts.down_proj"],
        [LinearRole.Expert] = ["model.layers.0.mlp.experts.0.down_proj"],
    };

    /// <summary>Whether the list keeps the group in the base dtype: a plain entry naming one of its keys at a segment start, or a "re:" entry matching one of its names.</summary>
    public static bool Kept(IReadOnlyList<string> entries, LinearRole role, string[] keys, string source)
    {
        foreach (var e in entries)
        {
            if (e.StartsWith("re:", StringComparison.Ordinal))
            {
                if (Names[role].Any(n => Matches(e, n, source))) return true;
            }
            else if (keys.Any(k => AtSegmentStart(e, k))) return true;
        }
        return false;
    }

    private static bool AtSegmentStart(string entry, string key)
    {
        for (var i = entry.IndexOf(key, StringComparison.OrdinalIgnoreCase); i >= 0; i = entry.IndexOf(key, i + 1, StringComparison.OrdinalIgnoreCase))
            if (i == 0 || entry[i - 1] is '.' or '*' or '/' or ':') return true;
        return false;
    }

    private static bool Matches(string entry, string name, string source)
    {
        try
        {
            // The file is untrusted: a pattern that backtracks without end is stopped.
            return Regex.IsMatch(name, "^(?:" + entry[3..] + ")", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
        }
        catch (ArgumentException ex)
        {
            throw new InputException(source, "quantization_config.ignore", $"'{Clip(entry)}' is not a regular expression ({ex.Message.Split('\n')[0]})");
        }
        catch (RegexMatchTimeoutException)
        {
            throw new InputException(source, "quantization_config.ignore", $"'{Clip(entry)}' takes too long to match a module name");
        }
    }

    private static string Clip(string s) => s.Length > 60 ? s[..60] + "..." : s;
}
