namespace Micro.Suites.Memory.Backends;

/// <summary>How many blocks a native stream kernel launch gets.</summary>
public enum NativeGridPolicy
{
    /// <summary>ceil(n4 / (block x ItemsPerThread)): one tile per block, every load of the array issued by its own thread.</summary>
    Cover,

    /// <summary>SMs x resident blocks per SM, each block walking tiles grid-stride (the first H100 run: ~10% slower).</summary>
    Occupancy,
}

/// <summary>The launch geometry of kernels/stream.cu; ItemsPerThread must equal MC_ITEMS there.</summary>
public static class NativeStreamGrid
{
    public const uint Block = 256;
    public const int ItemsPerThread = 4;
    public const NativeGridPolicy Default = NativeGridPolicy.Cover;

    public static uint Blocks(NativeGridPolicy policy, long elements, int sms, int residentPerSm)
    {
        var n4 = elements / 4;
        var tile = (long)Block * ItemsPerThread;
        var blocks = policy == NativeGridPolicy.Cover ? (n4 + tile - 1) / tile : (long)Math.Max(1, sms) * Math.Max(1, residentPerSm);
        return (uint)Math.Clamp(blocks, 1, int.MaxValue);
    }

    public static string Describe(NativeGridPolicy policy) => policy == NativeGridPolicy.Cover
        ? $"ceil(n4 / ({Block} x {ItemsPerThread})) blocks: one tile of {ItemsPerThread} float4 per thread, all loads before stores"
        : $"SMs x max resident blocks per SM, grid-stride over tiles of {ItemsPerThread} float4 per thread";
}
