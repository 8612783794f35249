using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Micro.Core.Models;
using Micro.Core.Results;

namespace Micro.EndToEnd.SpeedOfLight;

/// <summary>The weight groups a checkpoint keeps in the base dtype (not quantized).</summary>
public sealed record KeptGroups(bool Attention, bool Router, bool Mlp, bool Experts);

/// <summary>
/// Which weight groups a checkpoint keeps out of quantization, from its list of modules (transformers'
/// modules_to_not_convert, compressed-tensors' and modelopt's ignore, hf_quant_config's exclude_modules). An entry is a
/// module name or name fragment ("lm_head", "model.layers.*.self_attn"), matched where a group's key starts a name
/// segment (so "shared_experts" is not the routed "experts"), or, prefixed "re:", a regular expression that
/// compressed-tensors matches from the start of a module's name; it is tried on the names the groups carry in the
/// Hugging Face layout. Read once per config.
/// </summary>
public static class UnquantizedModules
{
    /// <summary>Per group: the keys a plain entry may name, and its module names as Hugging Face checkpoints spell them (layer and expert 0 stand for all).</summary>
    private static readonly (string[] Keys, string[] Names)[] Groups =
    [
        (["self_attn", "attn"], ["model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.q_a_proj", "model.layers.0.self_attn.o_proj"]),
        (["router", "mlp.gate"], ["model.layers.0.mlp.gate", "model.layers.0.mlp.router"]),
        (["mlp.down", "mlp.up", "mlp.gate_proj", "shared_experts"], ["model.layers.0.mlp.down_proj", "model.layers.0.mlp.shared_experts.down_proj"]),
        (["experts"], ["model.layers.0.mlp.experts.0.down_proj"]),
    ];

    /// <summary>The file is untrusted: its patterns get this long, all together, to match the groups' names.</summary>
    public static readonly TimeSpan PatternBudget = TimeSpan.FromSeconds(1);

    private static readonly ConditionalWeakTable<ModelConfig, KeptGroups> Read = new();

    public static KeptGroups Of(ModelConfig m) => Read.GetValue(m, Compute);

    private static KeptGroups Compute(ModelConfig m)
    {
        var source = m.Source ?? m.Name;
        var clock = Stopwatch.StartNew();
        var kept = Groups.Select(g => m.ModulesNotConverted.Any(e => e.StartsWith("re:", StringComparison.Ordinal)
            ? g.Names.Any(n => Matches(e, n, source, clock))
            : g.Keys.Any(k => AtSegmentStart(e, k)))).ToArray();
        return new KeptGroups(kept[0], kept[1], kept[2], kept[3]);
    }

    private static bool AtSegmentStart(string entry, string key)
    {
        for (var i = entry.IndexOf(key, StringComparison.OrdinalIgnoreCase); i >= 0; i = entry.IndexOf(key, i + 1, StringComparison.OrdinalIgnoreCase))
            if (i == 0 || entry[i - 1] is '.' or '*' or '/' or ':') return true;
        return false;
    }

    private static bool Matches(string entry, string name, string source, Stopwatch clock)
    {
        var left = PatternBudget - clock.Elapsed;
        try
        {
            if (left <= TimeSpan.Zero) throw new RegexMatchTimeoutException();
            return Regex.IsMatch(name, "^(?:" + entry[3..] + ")", RegexOptions.CultureInvariant, left);
        }
        catch (ArgumentException ex) when (ex is not ArgumentOutOfRangeException)
        {
            throw new InputException(source, "quantization_config.ignore", $"'{Clip(entry)}' is not a regular expression ({ex.Message.Split('\n')[0]})");
        }
        catch (RegexMatchTimeoutException)
        {
            throw new InputException(source, "quantization_config.ignore", $"'{Clip(entry)}': its patterns take more than {PatternBudget.TotalSeconds:0} s to match the module names");
        }
    }

    private static string Clip(string s) => s.Length > 60 ? s[..60] + "..." : s;
}
