using Spectre.Console;
using System.CommandLine;
using Micro.Suites.Attention;
using Micro.Core.Models;
using Micro.Core.Results;
using Micro.Suites.Running;

namespace Micro.Cli.Commands;

/// <summary>`micro attention`: decode / paged / MLA / prefill attention for a model's shape on ILGPU and native kernels.</summary>
public static class AttentionCommand
{
    public const int MaxBatch = 1 << 16, MaxSplits = 4096, MaxBlock = 4096;

    public static Command Build()
    {
        var cmd = new Command("attention", "Attention kernels for a model's exact shape: decode GB/s (contiguous/paged KV, split-K, MLA) and prefill TFLOP/s");
        var model = new Option<string>("--model") { Description = $"Hugging Face config.json path or preset ({string.Join(", ", ModelPresets.Names)})", DefaultValueFactory = _ => "llama-3.1-8b" };
        var kind = new Option<string[]>("--kind") { Description = $"Kinds ({string.Join(", ", AttentionOptions.AllKinds)}); default: decode, decode-paged, mla, prefill (those the model has)", AllowMultipleArgumentsPerToken = true };
        var contexts = new Option<string?>("--contexts", "-c") { Description = $"Decode context lengths, e.g. 1k,4k,16k,128k (1..{AttentionOptions.MaxLength}; default 1024,4096,16384)" };
        var lengths = new Option<string?>("--lengths", "-l") { Description = $"Prefill lengths Lq = Lk, e.g. 512,4k,32k (1..{AttentionOptions.MaxLength}; default 1024,4096,8192)" };
        var batch = new Option<int?>("--batch") { Description = $"Batch, 1..{MaxBatch} (default: decode, the smallest power of two whose K+V read is >= 4x L2; prefill, 16384 tokens / length)" };
        var block = new Option<int?>("--block-size") { Description = $"Paged KV block size in tokens, 1..{MaxBlock} (default 16; decode-paged only)" };
        var dtype = new Option<string?>("--kv-dtype") { Description = "bf16 (default), fp16, fp32 (fp32: ILGPU only)" };
        var splits = new Option<int?>("--splits") { Description = $"Split-K chunks over the context for decode, 0..{MaxSplits} (default 0: automatic, about two blocks per SM)" };
        var backend = CommonOptions.Backend($"{AttentionSuite.IlgpuBackend}, {AttentionSuite.NativeBackend}");
        var ilgpuDevice = new Option<string?>("--ilgpu-device") { Description = "cuda (default) or cpu (the emulator: give tiny --batch/--contexts/--lengths; ilgpu backend only)" };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the random inputs (recorded per point)" };
        var dumpPtx = new Option<DirectoryInfo?>("--dump-ptx") { Description = "Write the PTX ILGPU emits for the attention kernels (sm_80 target) into DIR with an instruction census, and exit" };
        var measure = new MeasureOptions();
        foreach (var o in new Option[] { model, kind, contexts, lengths, batch, block, dtype, splits, backend, ilgpuDevice, seed, dumpPtx }) cmd.Options.Add(o);
        measure.AddTo(cmd);

        cmd.SetAction(parse =>
        {
            if (parse.GetValue(dumpPtx) is { } ptxDir)
            {
                var others = cmd.Options.Where(o => o != dumpPtx && CommonOptions.Given(parse, o)).Select(o => o.Name).ToArray();
                if (others.Length > 0) throw new UsageException($"--dump-ptx writes the PTX and exits: {string.Join(", ", others)} do(es) not apply to it");
                return DumpPtx(parse, OutputDirectory.Check(ptxDir.ToString(), "--dump-ptx"));
            }
            var backends = SuiteOptions.Split(parse.GetValue(backend)).ToHashSet();
            foreach (var b in backends)
                if (b is not (AttentionSuite.IlgpuBackend or AttentionSuite.NativeBackend)) throw new UsageException($"unknown --backend '{b}' (known: ilgpu, native)");
            var kinds = SuiteOptions.Split(parse.GetValue(kind));
            foreach (var k in kinds)
                if (!AttentionOptions.AllKinds.Contains(k)) throw new UsageException($"unknown --kind '{k}' (known: {string.Join(", ", AttentionOptions.AllKinds)})");
            var modelName = parse.GetValue(model)!;
            if (!ModelPresets.TryGet(modelName, out _) && !File.Exists(modelName))
                throw new UsageException($"--model '{modelName}': neither a preset ({string.Join(", ", ModelPresets.Names)}) nor an existing config.json");
            var request = measure.Request(parse, backends.Count > 0 ? backends : null);
            var o = AttentionOptions.Defaults(request.Quick) with { Model = modelName };
            if (kinds.Length > 0) o = o with { Kinds = kinds };
            try
            {
                if (parse.GetValue(contexts) is { } c) o = o with { Contexts = AttentionOptions.ParseLengths(c, "--contexts") };
                if (parse.GetValue(lengths) is { } l) o = o with { Lengths = AttentionOptions.ParseLengths(l, "--lengths") };
            }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            if (CommonOptions.Range(parse.GetValue(batch), 1, MaxBatch, "--batch") is { } bt) o = o with { Batch = bt };
            if (CommonOptions.Range(parse.GetValue(block), 1, MaxBlock, "--block-size") is { } bs) o = o with { BlockSize = bs };
            if (CommonOptions.Range(parse.GetValue(splits), 0, MaxSplits, "--splits") is { } sp) o = o with { Splits = sp };
            if (parse.GetValue(dtype) is { } d) o = o with { KvType = KvDTypes.TryParse(d, out var t) ? t : throw new UsageException($"unknown --kv-dtype '{d}' (fp32, fp16, bf16)") };
            if (parse.GetValue(ilgpuDevice) is { } dev) o = o with { IlgpuDevice = dev is "cuda" or "cpu" ? dev : throw new UsageException($"unknown --ilgpu-device '{dev}' (cuda or cpu)") };
            if (parse.GetValue(seed) is { } sd) o = o with { Seed = sd };
            NotApplicable(parse, o, backends, contexts, lengths, block, splits, ilgpuDevice);
            return SuiteRunner.Run(parse, [new AttentionSuite().With(o)], request, measure.OutDir(parse), new RunSettings(Verbose: parse.GetValue(measure.Verbose)));
        });
        return cmd;
    }

    /// <summary>An option given for kinds or backends that will not run is an error, not silently ignored.</summary>
    private static void NotApplicable(ParseResult parse, AttentionOptions o, IReadOnlySet<string> backends,
        Option contexts, Option lengths, Option block, Option splits, Option ilgpuDevice)
    {
        var decode = o.Kinds.Any(k => k is "decode" or "decode-paged" or "mla");
        var prefill = o.Kinds.Any(k => k.StartsWith("prefill", StringComparison.Ordinal));
        void Check(Option option, bool applies, string why)
        {
            if (CommonOptions.Given(parse, option) && !applies) throw new UsageException($"{option.Name} does not apply: {why}");
        }
        Check(contexts, decode, "no decode kind (decode, decode-paged, mla) is measured");
        Check(splits, decode, "no decode kind (decode, decode-paged, mla) is measured");
        Check(lengths, prefill, "no prefill kind is measured");
        Check(block, o.Kinds.Contains("decode-paged"), "decode-paged is not measured");
        Check(ilgpuDevice, backends.Count == 0 || backends.Contains(AttentionSuite.IlgpuBackend), "the ilgpu backend is not selected");
    }

    private static int DumpPtx(ParseResult parse, string dir)
    {
        var console = Output.CliConsole.For(parse);
        Directory.CreateDirectory(dir);
        foreach (var (name, ptx) in Micro.Suites.Attention.Ilgpu.IlgpuPtx.Compile())
        {
            var path = Path.Combine(dir, name + ".ptx");
            File.WriteAllText(path, ptx);
            var census = Micro.Suites.Attention.Ilgpu.IlgpuPtx.Census(ptx).Where(kv => kv.Value > 0).Select(kv => $"{kv.Key}={kv.Value}");
            console.WriteLine($"{name}: {path}: {string.Join(" ", census)}");
        }
        return ExitCodes.Ok;
    }
}
