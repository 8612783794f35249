namespace Micro.Suites.Attention;

/// <summary>How the context is cut for split-K (flash-decoding): Splits chunks of SplitLen tokens, none empty.</summary>
public sealed record SplitPlan(int Splits, int SplitLen)
{
    /// <summary>
    /// requested > 0: that many splits (fewer if the context is short). requested = 0 (auto): enough splits that
    /// work groups reach about two per SM, each split at least minTokens long.
    /// </summary>
    public static SplitPlan For(long workGroups, int context, int multiprocessors, int requested = 0, int minTokens = 256)
    {
        int want = requested > 0
            ? requested
            : (int)Math.Clamp((2L * Math.Max(1, multiprocessors) + workGroups - 1) / Math.Max(1, workGroups), 1, Math.Max(1, context / minTokens));
        want = Math.Clamp(want, 1, context);
        var len = (context + want - 1) / want;
        return new SplitPlan((context + len - 1) / len, len);
    }
}
