using Spectre.Console;
using System.CommandLine;
using Micro.Suites.Attention;
using Micro.Suites.Running;

namespace Micro.Cli.Commands;

/// <summary>`micro attention`: decode / paged / MLA / prefill attention for a model's shape on ILGPU and native kernels.</summary>
public static class AttentionCommand
{
    public static Command Build()
    {
        var cmd = new Command("attention", "Attention kernels for a model's exact shape: decode GB/s (contiguous/paged KV, split-K, MLA) and prefill TFLOP/s");
        var model = new Option<string>("--model", "-m") { Description = $"Hugging Face config.json path or preset ({string.Join(", ", ModelPresets.Names)})", DefaultValueFactory = _ => "llama-3.1-8b" };
        var kind = new Option<string[]>("--kind", "-k") { Description = $"Kinds ({string.Join(", ", AttentionOptions.AllKinds)}); default: decode, decode-paged, mla, prefill (those the model has)", AllowMultipleArgumentsPerToken = true };
        var contexts = new Option<string?>("--contexts", "-c") { Description = "Decode context lengths, e.g. 1k,4k,16k,128k (default 1024,4096,16384)" };
        var lengths = new Option<string?>("--lengths", "-l") { Description = "Prefill lengths Lq = Lk, e.g. 512,4k,32k (default 1024,4096,8192)" };
        var batch = new Option<int?>("--batch") { Description = "Batch (default: decode, the smallest power of two whose K+V read is >= 4x L2; prefill, 16384 tokens / length)" };
        var block = new Option<int?>("--block-size") { Description = "Paged KV block size in tokens (default 16)" };
        var dtype = new Option<string?>("--kv-dtype") { Description = "bf16 (default), fp16, fp32 (fp32: ILGPU only)" };
        var splits = new Option<int?>("--splits") { Description = "Split-K chunks over the context for decode (default: automatic, about two blocks per SM)" };
        var backend = new Option<string[]>("--backend", "-b") { Description = "ilgpu, native (default: both where available)", AllowMultipleArgumentsPerToken = true };
        var ilgpuDevice = new Option<string?>("--ilgpu-device") { Description = "cuda (default) or cpu (the emulator: give tiny --batch/--contexts/--lengths)" };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the random inputs (recorded per point)" };
        var dumpPtx = new Option<DirectoryInfo?>("--dump-ptx") { Description = "Write the PTX ILGPU emits for the attention kernels (sm_80 target) into DIR with an instruction census, and exit" };
        var outDir = CommonOptions.Out();
        var quick = CommonOptions.Quick();
        var iterations = CommonOptions.Iterations();
        var warmup = CommonOptions.Warmup();
        foreach (var o in new Option[] { model, kind, contexts, lengths, batch, block, dtype, splits, backend, ilgpuDevice, seed, dumpPtx, outDir, quick, iterations, warmup }) cmd.Options.Add(o);

        cmd.SetAction(parse =>
        {
            if (parse.GetValue(dumpPtx) is { } ptxDir) return DumpPtx(parse, ptxDir);
            var backends = SuiteOptions.Split(parse.GetValue(backend));
            foreach (var b in backends)
                if (b is not (AttentionSuite.IlgpuBackend or AttentionSuite.NativeBackend)) throw new UsageException($"unknown --backend '{b}' (known: ilgpu, native)");
            var kinds = SuiteOptions.Split(parse.GetValue(kind));
            foreach (var k in kinds)
                if (!AttentionOptions.AllKinds.Contains(k)) throw new UsageException($"unknown --kind '{k}' (known: {string.Join(", ", AttentionOptions.AllKinds)})");
            if (parse.GetValue(ilgpuDevice) is { } dev && dev is not ("cuda" or "cpu")) throw new UsageException($"unknown --ilgpu-device '{dev}' (cuda or cpu)");
            if (parse.GetValue(batch) is < 1) throw new UsageException("--batch must be at least 1");
            if (parse.GetValue(block) is < 1 or > 4096) throw new UsageException("--block-size must be in 1..4096");
            if (parse.GetValue(splits) is < 0) throw new UsageException("--splits must be 0 (auto) or more");
            if (parse.GetValue(iterations) is < 1) throw new UsageException("--iterations must be at least 1");
            var modelName = parse.GetValue(model)!;
            if (!ModelPresets.TryGet(modelName, out _) && !File.Exists(modelName))
                throw new UsageException($"--model '{modelName}': neither a preset ({string.Join(", ", ModelPresets.Names)}) nor an existing config.json");
            var extra = new Dictionary<string, string> { [AttentionOptions.ModelKey] = modelName };
            void Put(string key, object? v) { if (v is not null) extra[key] = Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!; }
            Put(AttentionOptions.KindsKey, kinds.Length > 0 ? string.Join(",", kinds) : null);
            Put(AttentionOptions.ContextsKey, parse.GetValue(contexts));
            Put(AttentionOptions.LengthsKey, parse.GetValue(lengths));
            Put(AttentionOptions.BatchKey, parse.GetValue(batch));
            Put(AttentionOptions.BlockKey, parse.GetValue(block));
            Put(AttentionOptions.DTypeKey, parse.GetValue(dtype));
            Put(AttentionOptions.SplitsKey, parse.GetValue(splits));
            Put(AttentionOptions.IlgpuDeviceKey, parse.GetValue(ilgpuDevice));
            Put(AttentionOptions.SeedKey, parse.GetValue(seed));
            var request = new SuiteRequest
            {
                Quick = parse.GetValue(quick), Iterations = parse.GetValue(iterations), Warmup = parse.GetValue(warmup),
                Backends = backends.Length > 0 ? backends.ToHashSet() : null, Extra = extra,
            };
            try { AttentionOptions.From(request); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            return SuiteRunner.Run(parse, [new AttentionSuite()], request, parse.GetValue(outDir), writeCeilings: true, csv: false);
        });
        return cmd;
    }

    private static int DumpPtx(ParseResult parse, DirectoryInfo dir)
    {
        var console = Output.CliConsole.For(parse);
        dir.Create();
        foreach (var (name, ptx) in Micro.Suites.Attention.Ilgpu.IlgpuPtx.Compile())
        {
            var path = Path.Combine(dir.FullName, name + ".ptx");
            File.WriteAllText(path, ptx);
            var census = Micro.Suites.Attention.Ilgpu.IlgpuPtx.Census(ptx).Where(kv => kv.Value > 0).Select(kv => $"{kv.Key}={kv.Value}");
            console.WriteLine($"{name}: {path}: {string.Join(" ", census)}");
        }
        return ExitCodes.Ok;
    }
}
