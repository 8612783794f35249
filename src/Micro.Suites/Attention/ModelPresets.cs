using System.Text.Json;
using Micro.Core.Models;

namespace Micro.Suites.Attention;

/// <summary>
/// Named model shapes, embedded (no file reads), holding the attention fields of the Hugging Face config.json files in
/// shared/data/models (ai-dynamo/aiconfigurator @095f58a5). Parsed by the same ModelConfigReader as a user's file.
/// </summary>
public static class ModelPresets
{
    private static readonly Dictionary<string, string> Json = new(StringComparer.OrdinalIgnoreCase)
    {
        ["llama-3.1-8b"] = """{"model_type":"llama","num_hidden_layers":32,"hidden_size":4096,"num_attention_heads":32,"num_key_value_heads":8,"torch_dtype":"bfloat16"}""",
        ["llama-3.1-70b"] = """{"model_type":"llama","num_hidden_layers":80,"hidden_size":8192,"num_attention_heads":64,"num_key_value_heads":8,"torch_dtype":"bfloat16"}""",
        ["qwen3-8b"] = """{"model_type":"qwen3","num_hidden_layers":36,"hidden_size":4096,"num_attention_heads":32,"num_key_value_heads":8,"head_dim":128,"use_sliding_window":false,"torch_dtype":"bfloat16"}""",
        ["mixtral-8x7b"] = """{"model_type":"mixtral","num_hidden_layers":32,"hidden_size":4096,"num_attention_heads":32,"num_key_value_heads":8,"num_local_experts":8,"num_experts_per_tok":2,"torch_dtype":"bfloat16"}""",
        ["deepseek-v3"] = """{"model_type":"deepseek_v3","num_hidden_layers":61,"hidden_size":7168,"num_attention_heads":128,"num_key_value_heads":128,"kv_lora_rank":512,"q_lora_rank":1536,"qk_rope_head_dim":64,"qk_nope_head_dim":128,"v_head_dim":128,"n_routed_experts":256,"num_experts_per_tok":8,"torch_dtype":"bfloat16"}""",
        ["gpt-oss-120b"] = """{"model_type":"gpt_oss","num_hidden_layers":36,"hidden_size":2880,"num_attention_heads":64,"num_key_value_heads":8,"head_dim":64,"sliding_window":128,"num_local_experts":128,"num_experts_per_tok":4,"layer_types":[""" +
            string.Join(",", Enumerable.Range(0, 36).Select(i => i % 2 == 0 ? "\"sliding_attention\"" : "\"full_attention\"")) + "]}",
    };

    public static IReadOnlyCollection<string> Names => Json.Keys;

    public static bool TryGet(string name, out ModelConfig config)
    {
        config = null!;
        if (!Json.TryGetValue(name, out var text)) return false;
        using var doc = JsonDocument.Parse(text);
        config = ModelConfigReader.Parse(doc.RootElement, "preset:" + name, name.ToLowerInvariant());
        return true;
    }

    /// <summary>A preset name, or a path to a config.json (read and checked by ModelConfigReader).</summary>
    public static ModelConfig Resolve(string nameOrPath) =>
        TryGet(nameOrPath, out var c) ? c : ModelConfigReader.Read(nameOrPath);
}
