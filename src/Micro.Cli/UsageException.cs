namespace Micro.Cli;

/// <summary>A bad option value found after parsing (unknown suite, backend, size ...): one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
