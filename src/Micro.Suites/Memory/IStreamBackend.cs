using Micro.Core.Context;

namespace Micro.Suites.Memory;

/// <summary>
/// What the memory suite needs from a backend (host C STREAM, ILGPU, native NVRTC kernels ...).
/// The suite owns sizes, the case table, timing loop (through BenchmarkRunner), verification and output;
/// a backend only allocates arrays on its device and runs one kernel at a time.
/// </summary>
public interface IStreamBackend : IDisposable
{
    StreamTarget Target { get; }
    bool Supports(StreamDType dtype);
    /// <summary>Allocates three arrays of <paramref name="elements"/> (not yet initialised). Throws OutOfMemoryException when they do not fit.</summary>
    IStreamArrays Allocate(StreamDType dtype, long elements);
}

/// <summary>Three device arrays a, b, c of one type and length.</summary>
public interface IStreamArrays : IDisposable
{
    long Elements { get; }
    StreamDType DType { get; }
    /// <summary>Sets every element of a, b, c to the start values (seeded, non-zero) and waits for completion.</summary>
    void Initialize(StreamValues start);
    /// <summary>Runs one kernel once and returns its duration in seconds (device events, or synchronize + host clock).</summary>
    double Run(StreamKernel kernel, double scalar);
    /// <summary>The reduction of the last Dot or Read run.</summary>
    double LastSum { get; }
    /// <summary>Copies dest.Length elements of one array, from offset, to the host as doubles (for verification).</summary>
    void CopyOut(StreamArray array, long offset, Span<double> dest);
    /// <summary>Parameters specific to one kernel's points on these arrays (e.g. its launch config); null: none.</summary>
    IReadOnlyDictionary<string, string>? ParametersOf(StreamKernel kernel) => null;
}

/// <summary>Who and what a backend measures, and how its points are to be read.</summary>
public sealed record StreamTarget
{
    /// <summary>Backend name written into results: host, ilgpu, native ...</summary>
    public required string Backend { get; init; }
    public required DeviceInfo Device { get; init; }
    /// <summary>"device-events" or "host-clock".</summary>
    public required string Timer { get; init; }
    /// <summary>Ceiling name its large-size points are candidates for; null: never a ceiling (emulators).</summary>
    public string? Ceiling { get; init; }
    /// <summary>Caveat written beside every point, e.g. "emulator, not a ceiling".</summary>
    public string? Label { get; init; }
    /// <summary>When set, the only array length this backend runs (the ILGPU CPU emulator), whatever --size says.</summary>
    public long? FixedElements { get; init; }
    /// <summary>Extra parameters written with each point (threads, accelerator ...).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
}

/// <summary>A family of backends selectable by --backend (one name may open several devices).</summary>
public interface IStreamBackendProvider
{
    string Name { get; }
    string Description { get; }
    /// <summary>Opens every device this provider can drive here; never throws for a missing library.</summary>
    StreamBackendSet Open(bool quick);
    /// <summary>Runs in host memory and loads no GPU library (selected by `--backend host`).</summary>
    bool OnHost => false;
    /// <summary>Open with the suite's options; providers with no options of their own ignore them.</summary>
    StreamBackendSet Open(bool quick, MemoryOptions options) => Open(quick);
}

/// <param name="Unavailable">One line why nothing (or something) could not be opened; null when all is well.</param>
public sealed record StreamBackendSet(IReadOnlyList<IStreamBackend> Backends, string? Unavailable)
{
    public static StreamBackendSet None(string why) => new([], why);
}
