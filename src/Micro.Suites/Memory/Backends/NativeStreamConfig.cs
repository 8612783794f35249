using System.Globalization;

namespace Micro.Suites.Memory.Backends;

/// <summary>How many blocks a native stream kernel launch gets.</summary>
public enum NativeGridPolicy
{
    /// <summary>ceil(n4 / (block x items)): one tile per block, every load of the array issued by its own thread.</summary>
    Cover,

    /// <summary>SMs x resident blocks per SM (occupancy-capped), each block walking tiles grid-stride.</summary>
    Occupancy,
}

/// <summary>How a kernel stores its output array.</summary>
public enum NativeStores
{
    /// <summary>st.global.v4 (the compiler's default caching).</summary>
    Default,

    /// <summary>st.global.cs.v4: evict-first streaming stores (the _cs kernel variants).</summary>
    Streaming,
}

/// <summary>One launch configuration of kernels/stream.cu: threads per block, float4 per thread per tile, grid policy, store hint.</summary>
public sealed record NativeStreamConfig(uint Block, int Items, NativeGridPolicy Policy, NativeStores Stores = NativeStores.Default)
{
    /// <summary>The ITEMS kernels/stream.cu instantiates (MC_STREAM_VARIANTS); a config may only use these.</summary>
    public static readonly IReadOnlyList<int> ItemsChoices = [1, 2, 4];
    public static readonly IReadOnlyList<uint> BlockChoices = [256, 512, 1024];

    /// <summary>What `--native-config` means when not given: time every candidate and keep the fastest.</summary>
    public const string Tune = "tune";

    /// <summary>Every (block, items, policy, stores) the tuning pass may time, in a fixed order (ties keep the first).</summary>
    public static IReadOnlyList<NativeStreamConfig> Candidates { get; } =
        (from s in Enum.GetValues<NativeStores>()
         from p in Enum.GetValues<NativeGridPolicy>()
         from b in BlockChoices
         from i in ItemsChoices
         select new NativeStreamConfig(b, i, p, s)).ToArray();

    /// <summary>The candidates that differ for <paramref name="k"/> (a kernel that stores no array has no store hint).</summary>
    public static IReadOnlyList<NativeStreamConfig> CandidatesFor(StreamKernel k) => Candidates.Select(c => c.ForKernel(k)).Distinct().ToArray();

    /// <summary>Dot and Read store only one partial per block: they have no _cs variant.</summary>
    public static bool StoresArrays(StreamKernel k) => k is not (StreamKernel.Dot or StreamKernel.Read);

    /// <summary>This config as it applies to <paramref name="k"/>: the store hint is dropped where the kernel stores no array.</summary>
    public NativeStreamConfig ForKernel(StreamKernel k) => StoresArrays(k) ? this : this with { Stores = NativeStores.Default };

    /// <summary>The config when one is fixed but not every key is given (the second H100 run's choice).</summary>
    public static NativeStreamConfig Default { get; } = new(256, 4, NativeGridPolicy.Cover);

    /// <summary>extern "C" name of this config's variant of a kernel.</summary>
    public string FunctionName(StreamKernel k) =>
        $"{NativeStreamKernels.BaseName(k)}_i{Items}{(StoresArrays(k) && Stores == NativeStores.Streaming ? "_cs" : "")}";

    /// <summary>Blocks to launch over <paramref name="elements"/> floats (n4 = elements / 4 float4).</summary>
    public uint Blocks(long elements, int sms, int residentPerSm)
    {
        var n4 = elements / 4;
        var tile = (long)Block * Items;
        var blocks = Policy == NativeGridPolicy.Cover ? (n4 + tile - 1) / tile : (long)Math.Max(1, sms) * Math.Max(1, residentPerSm);
        return (uint)Math.Clamp(blocks, 1, int.MaxValue);
    }

    /// <summary>The `--native-config` spelling of this config (parses back to itself).</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"block={Block},items={Items},policy={Policy.ToString().ToLowerInvariant()},stores={Stores.ToString().ToLowerInvariant()}");

    public string DescribeGrid() => Policy == NativeGridPolicy.Cover
        ? $"ceil(n4 / ({Block} x {Items})) blocks: one tile of {Items} float4 per thread, all loads before stores"
        : $"SMs x max resident blocks per SM of {Block} threads, grid-stride over tiles of {Items} float4 per thread";

    /// <summary>
    /// Parses `--native-config`: null/empty/"tune" -> null (tune); otherwise comma-separated key=value with keys block
    /// (256|512|1024 or any power of two 32..1024), items (1|2|4), policy (cover|occupancy), stores (default|streaming);
    /// missing keys take Default's.
    /// Throws ArgumentException with one line naming the bad part.
    /// </summary>
    public static NativeStreamConfig? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || string.Equals(text.Trim(), Tune, StringComparison.OrdinalIgnoreCase)) return null;
        var config = Default;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || kv[1].Length == 0) throw new ArgumentException($"--native-config: '{part}' is not key=value (keys: block, items, policy, stores; or '{Tune}')");
            var (key, value) = (kv[0].ToLowerInvariant(), kv[1]);
            if (!seen.Add(key)) throw new ArgumentException($"--native-config: '{key}' given twice");
            config = key switch
            {
                "block" => config with { Block = ParseBlock(value) },
                "items" => config with { Items = ParseItems(value) },
                "policy" => config with { Policy = ParsePolicy(value) },
                "stores" => config with { Stores = ParseStores(value) },
                _ => throw new ArgumentException($"--native-config: unknown key '{kv[0]}' (keys: block, items, policy, stores)"),
            };
        }
        return config;
    }

    private static uint ParseBlock(string v) =>
        uint.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b is >= 32 and <= 1024 && (b & (b - 1)) == 0
            ? b : throw new ArgumentException($"--native-config: block '{v}' must be a power of two from 32 to 1024");

    private static int ParseItems(string v) =>
        int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && ItemsChoices.Contains(i)
            ? i : throw new ArgumentException($"--native-config: items '{v}' must be one of {string.Join(", ", ItemsChoices)} (the variants kernels/stream.cu compiles)");

    private static NativeStores ParseStores(string v) =>
        Enum.TryParse<NativeStores>(v, ignoreCase: true, out var s) && Enum.IsDefined(s) && !int.TryParse(v, out _)
            ? s : throw new ArgumentException($"--native-config: stores '{v}' must be default or streaming");

    private static NativeGridPolicy ParsePolicy(string v) =>
        Enum.TryParse<NativeGridPolicy>(v, ignoreCase: true, out var p) && Enum.IsDefined(p) && !int.TryParse(v, out _)
            ? p : throw new ArgumentException($"--native-config: policy '{v}' must be cover or occupancy");
}
