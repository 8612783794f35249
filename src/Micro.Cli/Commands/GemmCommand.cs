using System.CommandLine;
using Micro.Core.Models;
using Micro.Suites.Attention;
using Micro.Suites.Gemm;

namespace Micro.Cli.Commands;

public static class GemmCommand
{
    public static Command Build()
    {
        var known = GemmDType.All.Select(t => t.Name).ToArray();
        var dtype = CommonOptions.DType(string.Join(", ", known) + "; with --model default bf16");
        var model = new Option<string?>("--model")
        {
            Description = $"Measure this model's own linear layers per GPU instead of the fixed sweep: a Hugging Face config.json or a preset ({string.Join(", ", ModelPresets.Names)})",
        };
        var tp = new Option<int?>("--tp") { Description = $"With --model: tensor parallel size the layers are sharded for, as vLLM shards them (1..{MaxTensorParallel}, default 1)" };
        var tokens = new Option<string?>("--m")
        {
            Description = $"With --model: tokens per step, the GEMMs' M (1..{ModelGemmCases.MaxTokens}; default {string.Join(",", ModelGemmCases.DefaultTokens)}); experts run at one expert's share",
        };
        return GpuSuiteCommand.Build("gemm",
            "GEMM rate through cuBLASLt (bf16/fp16/fp8, tuned) and cuBLAS (tf32/fp32), square sizes to 8192, LLM shapes or a model's own layers (--model), vs the datasheet",
            () => new GemmSuite(), new GemmOptions(),
            cmd => { foreach (var o in new Option[] { dtype, model, tp, tokens }) cmd.Options.Add(o); },
            (parse, o) =>
            {
                if (SuiteOptions.Split(parse.GetValue(dtype)) is { Length: > 0 } names)
                    o = o with
                    {
                        DTypes = names.Select(n => known.Contains(n.ToLowerInvariant()) ? n.ToLowerInvariant()
                            : throw new UsageException($"unknown --dtype '{n}' (known: {string.Join(", ", known)})")).ToHashSet(StringComparer.OrdinalIgnoreCase),
                    };
                return BindModel(parse, o, model, tp, tokens);
            });
    }

    public const int MaxTensorParallel = 1024;

    /// <summary>--model, --tp and --m: the model's layers checked now (head rules, fields, sharding), before any GPU is opened.</summary>
    private static GemmOptions BindModel(ParseResult parse, GemmOptions o, Option<string?> model, Option<int?> tp, Option<string?> tokens)
    {
        if (parse.GetValue(model) is not { } name)
        {
            foreach (var option in new Option[] { tp, tokens })
                if (CommonOptions.Given(parse, option)) throw new UsageException($"{option.Name} applies with --model only");
            return o;
        }
        if (!ModelPresets.TryGet(name, out _) && !File.Exists(name))
            throw new UsageException($"--model '{name}': neither a preset ({string.Join(", ", ModelPresets.Names)}) nor an existing config.json");
        var config = ModelPresets.Resolve(name);
        var t = CommonOptions.Range(parse.GetValue(tp), 1, MaxTensorParallel, "--tp") ?? 1;
        IReadOnlyList<int> m = ModelGemmCases.DefaultTokens;
        if (parse.GetValue(tokens) is { } text)
        {
            try { m = AttentionOptions.ParseLengths(text, "--m", ModelGemmCases.MaxTokens).Distinct().Order().ToArray(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
        }
        LinearLayers.CheckForMeasurement(config, t);
        return o with { Model = config, TensorParallel = t, Tokens = m };
    }
}
