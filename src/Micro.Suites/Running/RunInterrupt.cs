namespace Micro.Suites.Running;

/// <summary>
/// The process-wide stop request (SIGINT/SIGTERM): the runner checks it before each point and between iterations,
/// abandons the point in progress, and every suite unwinds with <see cref="RunInterruptedException"/>, so the caller
/// can write what was measured.
/// </summary>
public static class RunInterrupt
{
    private static CancellationTokenSource _source = new();
    private static string? _signal;

    public static CancellationToken Token => _source.Token;
    /// <summary>The signal that asked to stop ("SIGINT", "SIGTERM"), or null.</summary>
    public static string? Signal => _signal;

    public static void Request(string signal)
    {
        Interlocked.CompareExchange(ref _signal, signal, null);
        _source.Cancel();
    }

    /// <summary>Throws when a stop was requested.</summary>
    public static void ThrowIfRequested()
    {
        if (_source.IsCancellationRequested) throw new RunInterruptedException(_signal ?? "a stop request");
    }

    /// <summary>For tests and for a process that runs several commands: forget an earlier request.</summary>
    public static void Reset()
    {
        _signal = null;
        _source = new CancellationTokenSource();
    }
}

public sealed class RunInterruptedException(string signal) : Exception($"interrupted by {signal}")
{
    public string SignalName { get; } = signal;
}
