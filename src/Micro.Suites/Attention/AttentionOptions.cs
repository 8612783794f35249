using System.Globalization;

namespace Micro.Suites.Attention;

/// <summary>The attention suite's options, bound by `micro attention` (defaults: what `micro run` measures).</summary>
public sealed record AttentionOptions
{
    public static readonly string[] AllKinds = ["decode", "decode-paged", "mla", "prefill", "prefill-noncausal"];
    /// <summary>Largest context or prefill length accepted (tokens).</summary>
    public const int MaxLength = 1 << 20;

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

    /// <summary>The defaults; --quick measures one context and one length.</summary>
    public static AttentionOptions Defaults(bool quick) =>
        quick ? new AttentionOptions { Contexts = [4096], Lengths = [1024] } : new AttentionOptions();

    /// <summary>
    /// What `micro run` measures without a CUDA GPU: tiny shapes on ILGPU's CPU accelerator, which only proves the
    /// kernels right (its points are labelled "emulator, not a ceiling").
    /// </summary>
    public static AttentionOptions Emulator { get; } = new()
    {
        Kinds = ["decode", "prefill"], Contexts = [64], Lengths = [16], Batch = 1, IlgpuDevice = "cpu",
    };

    /// <summary>"1k,4096,16k" -> token counts in 1..<see cref="MaxLength"/>; <paramref name="option"/> names the option in the error.</summary>
    public static int[] ParseLengths(string text, string option, int max = MaxLength)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var p = parts[i].ToLowerInvariant();
            var mult = p.EndsWith('k') ? 1024 : 1;
            if (!int.TryParse(mult > 1 ? p[..^1] : p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < 1 || v > max / mult)
                throw new ArgumentException($"{option} '{parts[i]}': expected a token count in 1..{max} like 4096 or 4k");
            values[i] = v * mult;
        }
        return values.Length > 0 ? values : throw new ArgumentException($"{option}: no values");
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
