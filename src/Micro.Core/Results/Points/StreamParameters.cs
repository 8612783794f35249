namespace Micro.Core.Results.Points;

/// <summary>One STREAM point (memory suite, BabelStream imports): the kernel and the array sizes it ran over.</summary>
public sealed record StreamParameters : IPointParameters
{
    /// <summary>BabelStream's label: Copy, Mul, Add, Triad, Dot, Nstream, Read, Write.</summary>
    public required string Kernel { get; init; }
    public required long Elements { get; init; }
    /// <summary>Bytes of one array; null where an import does not say.</summary>
    public long? ArrayBytes { get; init; }
    /// <summary>Bytes of every array the kernel touches together.</summary>
    public long? WorkingSetBytes { get; init; }
    /// <summary>True when the working set is past 4 x the last-level cache: a bandwidth ceiling candidate.</summary>
    public bool? PastLlc { get; init; }
    public long? LlcBytes { get; init; }
}
