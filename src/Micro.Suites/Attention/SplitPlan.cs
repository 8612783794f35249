namespace Micro.Suites.Attention;

/// <summary>How the context is cut for split-K (flash-decoding): Splits chunks of SplitLen tokens, none empty.</summary>
public sealed record SplitPlan(int Splits, int SplitLen)
{
    /// <summary>Blocks per SM the auto plan aims for: several waves of small blocks, so that every SM holds as many
    /// resident blocks as registers allow (the decode kernels fit about 3 per SM) and the tail of the last wave is
    /// short. Measured on H100: two blocks per SM left decode at 67-80% of the copy bandwidth.</summary>
    public const int TargetBlocksPerSm = 8;

    /// <summary>
    /// requested > 0: that many splits (fewer if the context is short). requested = 0 (auto): enough splits that
    /// workGroups x splits reaches TargetBlocksPerSm blocks per SM, each split at least minTokens long (so each
    /// block still streams several 16-byte loads per thread per iteration and the partials stay small next to K/V).
    /// </summary>
    public static SplitPlan For(long workGroups, int context, int multiprocessors, int requested = 0, int minTokens = 256)
    {
        long target = (long)TargetBlocksPerSm * Math.Max(1, multiprocessors);
        long groups = Math.Max(1, workGroups);
        int want = requested > 0
            ? requested
            : (int)Math.Clamp((target + groups - 1) / groups, 1, Math.Max(1, context / minTokens));
        want = Math.Clamp(want, 1, context);
        var len = (context + want - 1) / want;
        return new SplitPlan((context + len - 1) / len, len);
    }
}
