using System.Globalization;

namespace Micro.Suites.Attention;

/// <summary>The attention suite's options (SuiteRequest.Extra keys, set by `micro attention`).</summary>
public sealed record AttentionOptions
{
    public const string ModelKey = "attention.model", KindsKey = "attention.kinds", ContextsKey = "attention.contexts",
        BatchKey = "attention.batch", BlockKey = "attention.block_size", DTypeKey = "attention.kv_dtype", SplitsKey = "attention.splits",
        LengthsKey = "attention.lengths", IlgpuDeviceKey = "attention.ilgpu_device", SeedKey = "attention.seed";

    public static readonly string[] AllKinds = ["decode", "decode-paged", "mla", "prefill", "prefill-noncausal"];

    public string Model { get; init; } = "llama-3.1-8b";
    public IReadOnlyList<string> Kinds { get; init; } = ["decode", "decode-paged", "mla", "prefill"];
    public IReadOnlyList<int> Contexts { get; init; } = [1024, 4096, 16384];
    /// <summary>0: pick the smallest power of two whose K+V read is at least 4x the L2.</summary>
    public int Batch { get; init; }
    public int BlockSize { get; init; } = 16;
    public KvDType KvType { get; init; } = KvDType.Bf16;
    /// <summary>0: automatic (about two work groups per SM).</summary>
    public int Splits { get; init; }
    public IReadOnlyList<int> Lengths { get; init; } = [1024, 4096, 8192];
    /// <summary>"cuda" (default) or "cpu" (the emulator: tiny shapes only).</summary>
    public string IlgpuDevice { get; init; } = "cuda";
    public ulong Seed { get; init; } = 20261122;

    public static AttentionOptions From(Running.SuiteRequest r)
    {
        var o = new AttentionOptions();
        if (r.Quick) o = o with { Contexts = [4096], Lengths = [1024] };
        string? Get(string k) => r.Extra.TryGetValue(k, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;
        if (Get(ModelKey) is { } m) o = o with { Model = m };
        if (Get(KindsKey) is { } kinds) o = o with { Kinds = kinds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
        if (Get(ContextsKey) is { } c) o = o with { Contexts = Ints(c, ContextsKey) };
        if (Get(LengthsKey) is { } l) o = o with { Lengths = Ints(l, LengthsKey) };
        if (Get(BatchKey) is { } b) o = o with { Batch = Ints(b, BatchKey)[0] };
        if (Get(BlockKey) is { } bs) o = o with { BlockSize = Ints(bs, BlockKey)[0] };
        if (Get(SplitsKey) is { } s) o = o with { Splits = int.Parse(s, CultureInfo.InvariantCulture) };
        if (Get(DTypeKey) is { } d) o = o with { KvType = KvDTypes.TryParse(d, out var t) ? t : throw new ArgumentException($"unknown KV dtype '{d}' (fp32, fp16, bf16)") };
        if (Get(IlgpuDeviceKey) is { } dev) o = o with { IlgpuDevice = dev };
        if (Get(SeedKey) is { } seed) o = o with { Seed = ulong.Parse(seed, CultureInfo.InvariantCulture) };
        return o;
    }

    private static int[] Ints(string text, string key)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var p = parts[i].ToLowerInvariant();
            var mult = p.EndsWith('k') ? 1024 : 1;
            if (!int.TryParse(mult > 1 ? p[..^1] : p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < 1 || v > (1 << 20) / mult)
                throw new ArgumentException($"bad {key.Replace("attention.", "--").Replace('_', '-')} value '{parts[i]}': expected a positive integer like 4096 or 4k");
            values[i] = v * mult;
        }
        return values.Length > 0 ? values : throw new ArgumentException($"{key}: no values");
    }

    /// <summary>Smallest power-of-two batch whose K+V bytes reach 4x the L2 (50 MB if unknown), at most 256.</summary>
    public static int AutoBatch(long kvBytesPerSequence, long? l2Bytes)
    {
        var target = 4 * (l2Bytes is > 0 ? l2Bytes.Value : 50L << 20);
        var b = 1;
        while (b < 256 && (long)b * kvBytesPerSequence < target) b *= 2;
        return b;
    }
}
