namespace Micro.Core.Models;

public static partial class ModelPresets
{
    private const string AiConfigurator = "matches shared/data/models/{0} (ai-dynamo/aiconfigurator @095f58a5 model_configs)";

    private static string FromHub(string id, string? sharedCopy = null) =>
        $"https://huggingface.co/{id}/blob/main/config.json" + (sharedCopy is null ? "" : "; " + string.Format(System.Globalization.CultureInfo.InvariantCulture, AiConfigurator, sharedCopy));

    /// <summary>gpt-oss: even layers slide over a 128-token window, odd layers attend to the full context.</summary>
    private static string GptOssLayerTypes(int layers) =>
        string.Join(",", Enumerable.Range(0, layers).Select(i => i % 2 == 0 ? "\"sliding_attention\"" : "\"full_attention\""));

    private const string GptOssQuantization =
        "\"quantization_config\":{\"quant_method\":\"mxfp4\",\"modules_to_not_convert\":[\"model.layers.*.self_attn\",\"model.layers.*.mlp.router\",\"model.embed_tokens\",\"lm_head\"]}";

    // Only the fields ModelConfigReader reads; instruct and base checkpoints of a model share these.
    private static readonly ModelPreset[] Table =
    [
        new("llama-3.1-8b", "meta-llama/Llama-3.1-8B-Instruct", FromHub("meta-llama/Llama-3.1-8B-Instruct", "config_llama31_8b.json"),
            """{"model_type":"llama","num_hidden_layers":32,"hidden_size":4096,"intermediate_size":14336,"num_attention_heads":32,"num_key_value_heads":8,"vocab_size":128256,"tie_word_embeddings":false,"attention_bias":false,"torch_dtype":"bfloat16"}"""),
        new("llama-3.1-70b", "meta-llama/Llama-3.1-70B-Instruct", FromHub("meta-llama/Llama-3.1-70B-Instruct", "config_llama31_70b.json"),
            """{"model_type":"llama","num_hidden_layers":80,"hidden_size":8192,"intermediate_size":28672,"num_attention_heads":64,"num_key_value_heads":8,"vocab_size":128256,"tie_word_embeddings":false,"attention_bias":false,"torch_dtype":"bfloat16"}"""),
        new("llama-3.1-405b", "meta-llama/Llama-3.1-405B-Instruct", FromHub("meta-llama/Llama-3.1-405B-Instruct"),
            """{"model_type":"llama","num_hidden_layers":126,"hidden_size":16384,"intermediate_size":53248,"num_attention_heads":128,"num_key_value_heads":8,"vocab_size":128256,"tie_word_embeddings":false,"attention_bias":false,"torch_dtype":"bfloat16"}"""),
        new("qwen3-8b", "Qwen/Qwen3-8B", FromHub("Qwen/Qwen3-8B", "config_qwen3_8b.json"),
            """{"model_type":"qwen3","num_hidden_layers":36,"hidden_size":4096,"intermediate_size":12288,"num_attention_heads":32,"num_key_value_heads":8,"head_dim":128,"vocab_size":151936,"tie_word_embeddings":false,"attention_bias":false,"sliding_window":null,"use_sliding_window":false,"max_window_layers":36,"torch_dtype":"bfloat16"}"""),
        // No shared/data copy: the fields equal aiconfigurator's copy (@095f58a5 aic-core/.../model_configs/Qwen--Qwen3-32B_config.json).
        new("qwen3-32b", "Qwen/Qwen3-32B", FromHub("Qwen/Qwen3-32B"),
            """{"model_type":"qwen3","num_hidden_layers":64,"hidden_size":5120,"intermediate_size":25600,"num_attention_heads":64,"num_key_value_heads":8,"head_dim":128,"vocab_size":151936,"tie_word_embeddings":false,"attention_bias":false,"sliding_window":null,"use_sliding_window":false,"max_window_layers":64,"torch_dtype":"bfloat16"}"""),
        // No shared/data copy: the fields equal aiconfigurator's copy (@095f58a5 .../model_configs/Qwen--Qwen3-235B-A22B-FP8_config.json),
        // whose modules_to_not_convert lists lm_head and every layer's norms and mlp.gate (the router).
        new("qwen3-235b-a22b-fp8", "Qwen/Qwen3-235B-A22B-FP8", FromHub("Qwen/Qwen3-235B-A22B-FP8"),
            """{"model_type":"qwen3_moe","num_hidden_layers":94,"hidden_size":4096,"intermediate_size":12288,"moe_intermediate_size":1536,"num_attention_heads":64,"num_key_value_heads":4,"head_dim":128,"vocab_size":151936,"tie_word_embeddings":false,"attention_bias":false,"num_experts":128,"num_experts_per_tok":8,"decoder_sparse_step":1,"mlp_only_layers":[],"norm_topk_prob":true,"sliding_window":null,"use_sliding_window":false,"max_window_layers":94,"torch_dtype":"bfloat16","quantization_config":{"quant_method":"fp8","fmt":"e4m3","activation_scheme":"dynamic","weight_block_size":[128,128],"modules_to_not_convert":["lm_head","mlp.gate"]}}"""),
        new("mixtral-8x7b", "mistralai/Mixtral-8x7B-Instruct-v0.1", FromHub("mistralai/Mixtral-8x7B-Instruct-v0.1", "config_mixtral_8x7b.json"),
            """{"model_type":"mixtral","num_hidden_layers":32,"hidden_size":4096,"intermediate_size":14336,"num_attention_heads":32,"num_key_value_heads":8,"vocab_size":32000,"tie_word_embeddings":false,"num_local_experts":8,"num_experts_per_tok":2,"sliding_window":null,"torch_dtype":"bfloat16"}"""),
        new("deepseek-v3", "deepseek-ai/DeepSeek-V3", FromHub("deepseek-ai/DeepSeek-V3", "config_deepseek_v3.json"),
            """{"model_type":"deepseek_v3","num_hidden_layers":61,"hidden_size":7168,"intermediate_size":18432,"num_attention_heads":128,"num_key_value_heads":128,"vocab_size":129280,"tie_word_embeddings":false,"attention_bias":false,"n_routed_experts":256,"num_experts_per_tok":8,"moe_intermediate_size":2048,"n_shared_experts":1,"first_k_dense_replace":3,"kv_lora_rank":512,"q_lora_rank":1536,"qk_rope_head_dim":64,"qk_nope_head_dim":128,"v_head_dim":128,"torch_dtype":"bfloat16","quantization_config":{"quant_method":"fp8","fmt":"e4m3","activation_scheme":"dynamic","weight_block_size":[128,128]}}"""),
        new("gpt-oss-120b", "openai/gpt-oss-120b", FromHub("openai/gpt-oss-120b", "config_gpt_oss_120b.json"),
            """{"model_type":"gpt_oss","num_hidden_layers":36,"hidden_size":2880,"intermediate_size":2880,"num_attention_heads":64,"num_key_value_heads":8,"head_dim":64,"vocab_size":201088,"tie_word_embeddings":false,"attention_bias":true,"num_local_experts":128,"num_experts_per_tok":4,"experts_per_token":4,"sliding_window":128,"layer_types":[""" + GptOssLayerTypes(36) + "]," + GptOssQuantization + "}"),
        new("gpt-oss-20b", "openai/gpt-oss-20b", FromHub("openai/gpt-oss-20b"),
            """{"model_type":"gpt_oss","num_hidden_layers":24,"hidden_size":2880,"intermediate_size":2880,"num_attention_heads":64,"num_key_value_heads":8,"head_dim":64,"vocab_size":201088,"tie_word_embeddings":false,"attention_bias":true,"num_local_experts":32,"num_experts_per_tok":4,"experts_per_token":4,"sliding_window":128,"layer_types":[""" + GptOssLayerTypes(24) + "]," + GptOssQuantization + "}"),
    ];
}
