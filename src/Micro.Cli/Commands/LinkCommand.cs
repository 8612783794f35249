using System.CommandLine;
using Micro.Core;
using Micro.Suites.Link;

namespace Micro.Cli.Commands;

public static class LinkCommand
{
    public static Command Build()
    {
        var size = CommonOptions.Size("Only this transfer size instead of the sweep, e.g. 256MiB (1 B .. 64 GiB)");
        return GpuSuiteCommand.Build("link",
            "Host<->device link bandwidth (H2D/D2H pinned+pageable, copy engine and SM kernel, bidirectional, D2D) on a CUDA GPU",
            () => new LinkSuite(), new LinkOptions(),
            cmd => cmd.Options.Add(size),
            (parse, o) => parse.GetValue(size) is { } s ? o with { SizeBytes = Bytes(s) } : o);
    }

    private const long MaxBytes = 64L << 30;

    private static long Bytes(string s) =>
        Units.TryParseBytes(s, out var b) && b > 0 && b <= MaxBytes ? b
            : throw new UsageException($"--size '{s}': expected a transfer size in 1 B .. 64 GiB (e.g. 64MiB, 1GB)");
}
