using System.Runtime.InteropServices;

namespace Micro.Core.Context;

/// <summary>Where and how a run happened: host, runtime, command line, devices, library versions, telemetry.</summary>
public sealed record RunContext
{
    public required string Host { get; init; }
    public required string Os { get; init; }
    public required string Runtime { get; init; }
    public required string MicroVersion { get; init; }
    public required string CommandLine { get; init; }
    public string? Cpu { get; init; }
    public int LogicalCores { get; init; }
    public DateTimeOffset Started { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? Finished { get; init; }
    public IReadOnlyList<DeviceInfo> Devices { get; init; } = [];
    public IReadOnlyDictionary<string, string> Libraries { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<TelemetrySample> Telemetry { get; init; } = [];
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public static RunContext Capture(string commandLine) => new()
    {
        Host = System.Environment.MachineName,
        Os = RuntimeInformation.OSDescription,
        Runtime = RuntimeInformation.FrameworkDescription,
        MicroVersion = typeof(RunContext).Assembly.GetName().Version?.ToString() ?? "0",
        CommandLine = commandLine,
        Cpu = HostInfo.CpuModel(),
        LogicalCores = System.Environment.ProcessorCount,
        Environment = HostInfo.RelevantEnvironment(),
    };
}
