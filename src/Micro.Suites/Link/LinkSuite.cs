using Micro.Core.Results.Points;
using Micro.Suites.Running;

namespace Micro.Suites.Link;

/// <summary>
/// Host<->device links, nvbandwidth-shaped: H2D/D2H with pinned and pageable memory, copy engine and SM copy kernel,
/// uni- and bidirectional, a size sweep, and the D2D copy (bytes read + written).
/// </summary>
public sealed class LinkSuite : ISuite<LinkOptions>
{
    public string Name => "link";
    public string Description => "H2D/D2H pinned+pageable, copy engine and SM kernel, uni/bidirectional, size sweep; D2D copy";

    public IReadOnlyList<SuiteBackend> Backends { get; } = [new("cuda")];

    public LinkOptions DefaultOptions(SuiteRequest request) => new();

    public SuiteOutcome Run(SuiteRequest request, LinkOptions options, IResultSink sink, ISuiteProgress progress)
    {
        var run = GpuSuiteRun.Open(Name, request, options, sink, progress, out var skipped);
        if (run is null) return skipped!;
        var cases = LinkCase.Sweep(request.Quick, options.SizeBytes);
        var nativeWhy = run.Precompile("stream.cu");
        progress.Start(Name, cases.Count);
        run.Telemetry("before");
        foreach (var lc in cases)
        {
            if (lc.Engine == CopyEngine.SmKernel && nativeWhy is not null)
            {
                run.Skip($"{lc.Name}: SM copy kernel needs NVRTC: {nativeWhy}");
                continue;
            }
            var c = run.Case(lc.Name, lc.Engine == CopyEngine.CopyEngine ? "cuda-copy-engine" : "native-sm-copy") with
            {
                DType = "u32", Bytes = lc.CountedBytes, BytesCounted = lc.BytesCounted, Ceiling = lc.Ceiling,
                Point = new CopyParameters
                {
                    Direction = lc.Direction switch
                    {
                        LinkDirection.HostToDevice => CopyDirection.HostToDevice, LinkDirection.DeviceToHost => CopyDirection.DeviceToHost,
                        LinkDirection.Bidirectional => CopyDirection.Bidirectional, _ => CopyDirection.DeviceToDevice,
                    },
                    Memory = lc.MemoryName, Engine = lc.Engine == CopyEngine.CopyEngine ? "copy-engine" : "sm-kernel", SizeBytes = lc.Bytes,
                },
            };
            run.Measure(c, () => new LinkOperation(run.Session, lc));
        }
        run.Telemetry("after");
        return run.Outcome();
    }
}
