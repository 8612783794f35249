namespace Micro.Suites.Memory;

/// <summary>One array length of the sweep and whether its working set is far enough past the cache to be a ceiling.</summary>
public sealed record StreamSize(long Elements, long TotalBytes, bool PastCache);

/// <summary>
/// The size sweep: working sets (all three arrays) from inside the last-level cache to well past it.
/// Default: LLC/4, LLC, 4 x LLC, 16 x LLC; quick: LLC/4 and 4 x LLC. Only sizes >= 4 x LLC may be ceilings.
/// </summary>
public static class StreamSizing
{
    public const long Granule = 4096; // elements: keeps 128-bit vector views and OpenMP chunks whole
    public const long FallbackCacheBytes = 64L << 20;
    public const double PastCacheFactor = 4;

    /// <param name="sizeBytes">--size in bytes: the total of the three arrays.</param>
    /// <param name="sizeFraction">--size as a fraction of device memory: the total of the three arrays.</param>
    public static IReadOnlyList<StreamSize> Sweep(StreamTarget target, StreamDType dtype, bool quick, long? sizeBytes, double? sizeFraction)
    {
        var elemSize = dtype.Size();
        var llc = target.Device.LastLevelCacheBytes ?? FallbackCacheBytes;
        if (target.FixedElements is { } fixedN) return [Make(fixedN, elemSize, llc)];

        if (sizeBytes is { } b) return [Make(ElementsFor(b, elemSize), elemSize, llc)];
        if (sizeFraction is { } f)
        {
            var mem = target.Device.MemoryBytes ?? throw new InvalidOperationException($"{target.Device.Name}: device memory unknown, so --size as a percentage cannot be used; give bytes");
            return [Make(ElementsFor((long)(mem * f), elemSize), elemSize, llc)];
        }
        // Round sizes meant to be past the cache up, so rounding never drops them below 4 x LLC.
        long ElementsOf(long total) => total >= PastCacheFactor * llc ? ElementsForAtLeast(total, elemSize) : ElementsFor(total, elemSize);
        double[] factors = quick ? [0.25, PastCacheFactor] : [0.25, 1, PastCacheFactor, 16];
        // Never take more than a quarter of device memory for the default sweep.
        var cap = target.Device.MemoryBytes is { } m ? m / 4 : long.MaxValue;
        return factors.Select(x => (long)Math.Min(llc * x, cap)).Distinct()
                      .Select(total => Make(ElementsOf(total), elemSize, llc))
                      .Where(s => s.Elements > 0).DistinctBy(s => s.Elements).ToArray();
    }

    private static long ElementsFor(long totalBytes, int elemSize) =>
        Math.Max(Granule, totalBytes / 3 / elemSize / Granule * Granule);

    private static long ElementsForAtLeast(long totalBytes, int elemSize) =>
        (totalBytes / 3 / elemSize + Granule) / Granule * Granule;

    private static StreamSize Make(long elements, int elemSize, long llc)
    {
        var total = 3 * elements * elemSize;
        return new StreamSize(elements, total, total >= PastCacheFactor * llc);
    }
}
