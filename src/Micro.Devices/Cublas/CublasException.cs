namespace Micro.Devices.Cublas;

public sealed class CublasException(string call, int status, string description)
    : Exception($"{call} failed: {description} ({status})")
{
    public int Status { get; } = status;
}
