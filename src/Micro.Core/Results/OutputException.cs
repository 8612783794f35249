namespace Micro.Core.Results;

/// <summary>An output location that cannot be used (a file, /proc, not writable, a full disk): names the path and the reason.</summary>
public sealed class OutputException(string path, string reason, Exception? inner = null) : Exception($"{path}: {reason}", inner)
{
    public string Path { get; } = path;
    public string Reason { get; } = reason;
}
