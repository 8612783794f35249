namespace Micro.Devices.Cuda;

/// <summary>A CUDA driver call returned an error: names the call, the CUresult and the driver's own description.</summary>
public sealed class CudaException(string call, int code, string name, string description)
    : Exception($"{call} failed: {name} ({code}): {description}")
{
    public string Call { get; } = call;
    public int Code { get; } = code;
    public string ErrorName { get; } = name;
}
