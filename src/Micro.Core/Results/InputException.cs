namespace Micro.Core.Results;

/// <summary>Bad input: names the file, the field (or line) and the reason in one line.</summary>
public sealed class InputException(string file, string? field, string reason, Exception? inner = null)
    : Exception(Format(file, field, reason), inner)
{
    public string File { get; } = file;
    public string? Field { get; } = field;
    public string Reason { get; } = reason;

    private static string Format(string file, string? field, string reason) =>
        field is null ? $"{file}: {reason}" : $"{file}: {field}: {reason}";
}
