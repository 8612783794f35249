namespace Micro.Suites.Link;

public enum LinkDirection { HostToDevice, DeviceToHost, Bidirectional, DeviceToDevice }
public enum HostMemory { Pinned, Pageable, Device }
/// <summary>Copy engine (cuMemcpyAsync) or SM copy kernel (micro_stream_copy over mapped pinned memory).</summary>
public enum CopyEngine { CopyEngine, SmKernel }

/// <summary>One point of the link sweep.</summary>
public sealed record LinkCase(LinkDirection Direction, HostMemory Memory, CopyEngine Engine, long Bytes)
{
    public string Name => $"{DirectionName}_{MemoryName}_{(Engine == CopyEngine.CopyEngine ? "ce" : "sm")}_{Bytes}";

    public string DirectionName => Direction switch
    {
        LinkDirection.HostToDevice => "h2d",
        LinkDirection.DeviceToHost => "d2h",
        LinkDirection.Bidirectional => "bidir",
        _ => "d2d",
    };

    public string MemoryName => Memory switch { HostMemory.Pinned => "pinned", HostMemory.Pageable => "pageable", _ => "device" };

    /// <summary>Bytes one iteration counts: each direction's bytes for host links (both for bidirectional); read + write for D2D.</summary>
    public long CountedBytes => Direction switch
    {
        LinkDirection.Bidirectional => 2 * Bytes,
        LinkDirection.DeviceToDevice => 2 * Bytes,
        _ => Bytes,
    };

    public string BytesCounted => Direction switch
    {
        LinkDirection.Bidirectional => "bytes copied host->device plus device->host (concurrent, two streams)",
        LinkDirection.DeviceToDevice => "bytes read plus bytes written (2 x buffer)",
        LinkDirection.HostToDevice => "bytes copied host->device",
        _ => "bytes copied device->host",
    };

    /// <summary>The ceiling this point is a candidate for: pinned copy-engine transfers and the D2D copy.</summary>
    public string? Ceiling => (Direction, Memory, Engine) switch
    {
        (LinkDirection.HostToDevice, HostMemory.Pinned, CopyEngine.CopyEngine) => Core.Ceilings.CeilingNames.H2DPinned,
        (LinkDirection.DeviceToHost, HostMemory.Pinned, CopyEngine.CopyEngine) => Core.Ceilings.CeilingNames.D2HPinned,
        (LinkDirection.DeviceToDevice, _, _) => Core.Ceilings.CeilingNames.D2D,
        _ => null,
    };

    /// <summary>The sweep: pinned copy-engine H2D/D2H over sizes, the other variants at one large size, and D2D.</summary>
    public static IReadOnlyList<LinkCase> Sweep(bool quick, long? onlySize)
    {
        const long MiB = 1 << 20;
        long[] sweep = onlySize is { } s ? [s] : quick ? [1 * MiB, 64 * MiB] : [1 * MiB, 16 * MiB, 256 * MiB, 1024 * MiB];
        var big = onlySize ?? (quick ? 64 * MiB : 256 * MiB);
        var d2d = onlySize ?? (quick ? 256 * MiB : 1024 * MiB);
        var list = new List<LinkCase>();
        foreach (var b in sweep)
        {
            list.Add(new(LinkDirection.HostToDevice, HostMemory.Pinned, CopyEngine.CopyEngine, b));
            list.Add(new(LinkDirection.DeviceToHost, HostMemory.Pinned, CopyEngine.CopyEngine, b));
        }
        list.Add(new(LinkDirection.Bidirectional, HostMemory.Pinned, CopyEngine.CopyEngine, big));
        list.Add(new(LinkDirection.HostToDevice, HostMemory.Pageable, CopyEngine.CopyEngine, big));
        list.Add(new(LinkDirection.DeviceToHost, HostMemory.Pageable, CopyEngine.CopyEngine, big));
        list.Add(new(LinkDirection.HostToDevice, HostMemory.Pinned, CopyEngine.SmKernel, big));
        list.Add(new(LinkDirection.DeviceToHost, HostMemory.Pinned, CopyEngine.SmKernel, big));
        list.Add(new(LinkDirection.DeviceToDevice, HostMemory.Device, CopyEngine.CopyEngine, d2d));
        list.Add(new(LinkDirection.DeviceToDevice, HostMemory.Device, CopyEngine.SmKernel, d2d));
        return list;
    }
}
