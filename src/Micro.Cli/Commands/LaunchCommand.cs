using System.CommandLine;
using Micro.Suites.Link;
using Micro.Suites.Launch;

namespace Micro.Cli.Commands;

public static class LaunchCommand
{
    public static Command Build() => GpuSuiteCommand.Build("launch",
        "Kernel launch overhead (cuLaunchKernel, sync round trip, CUDA graph replay), small-copy latency, event timer resolution",
        () => new LaunchSuite(), new LaunchOptions());
}
