namespace Micro.Devices.Nvrtc;

/// <summary>An NVRTC call failed; for a failed compilation <see cref="Log"/> holds the compiler's log, shown in the message.</summary>
public sealed class NvrtcException(string call, int code, string description, string? log = null)
    : Exception($"{call} failed: {description} ({code})" + (string.IsNullOrWhiteSpace(log) ? "" : "\n--- NVRTC log ---\n" + log.TrimEnd()))
{
    public string Call { get; } = call;
    public int Code { get; } = code;
    public string? Log { get; } = log;
}
