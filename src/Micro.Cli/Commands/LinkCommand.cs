using System.CommandLine;
using Micro.Suites.Link;

namespace Micro.Cli.Commands;

public static class LinkCommand
{
    public static Command Build() => GpuSuiteCommand.Build("link",
        "Host<->device link bandwidth (H2D/D2H pinned+pageable, copy engine and SM kernel, bidirectional, D2D) on a CUDA GPU",
        () => new LinkSuite());
}
