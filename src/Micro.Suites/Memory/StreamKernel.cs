namespace Micro.Suites.Memory;

/// <summary>The stream kernels: BabelStream's six plus a read-only and a write-only sweep. Values match hoststream.h.</summary>
public enum StreamKernel
{
    Copy = 0,    // c = a
    Mul = 1,     // b = s * c
    Add = 2,     // c = a + b
    Triad = 3,   // a = b + s * c
    Dot = 4,     // sum = a . b
    Nstream = 5, // a += b + s * c
    Read = 6,    // sum = sum(a)
    Write = 7,   // c = s
}

public enum StreamArray { A = 0, B = 1, C = 2 }

/// <summary>One row of the case table: what a kernel is called and how many arrays of N x sizeof(T) it moves.</summary>
/// <param name="BytesWeight">BabelStream's weight: arrays read plus arrays written per iteration.</param>
public sealed record StreamCase(StreamKernel Kernel, string Id, string Label, int BytesWeight, string Formula);

public static class StreamCases
{
    /// <summary>The case table that drives names and byte counts (BabelStream weights; read/write-only are 1).</summary>
    public static readonly IReadOnlyList<StreamCase> All =
    [
        new(StreamKernel.Copy, "copy", "Copy", 2, "c = a"),
        new(StreamKernel.Mul, "mul", "Mul", 2, "b = s*c"),
        new(StreamKernel.Add, "add", "Add", 3, "c = a + b"),
        new(StreamKernel.Triad, "triad", "Triad", 3, "a = b + s*c"),
        new(StreamKernel.Dot, "dot", "Dot", 2, "sum = a.b"),
        new(StreamKernel.Nstream, "nstream", "Nstream", 4, "a += b + s*c"),
        new(StreamKernel.Read, "read", "Read-only", 1, "sum = sum(a)"),
        new(StreamKernel.Write, "write", "Write-only", 1, "c = s"),
    ];

    public static StreamCase Of(StreamKernel k) => All.First(c => c.Kernel == k);

    /// <summary>Bytes one iteration moves: weight x N x sizeof(T).</summary>
    public static long BytesMoved(StreamKernel k, long elements, StreamDType dtype) =>
        Of(k).BytesWeight * elements * dtype.Size();

    /// <summary>Parses "triad", "Triad", "read-only", "read" ...; null when unknown.</summary>
    public static StreamCase? Find(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        return All.FirstOrDefault(c => c.Id == n || c.Label.ToLowerInvariant() == n || c.Label.ToLowerInvariant().Replace("-", "") == n.Replace("-", ""));
    }

    public static string Names => string.Join(", ", All.Select(c => c.Id));
}
