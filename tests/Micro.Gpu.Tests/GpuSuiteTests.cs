using Micro.Devices.Cuda;
using Micro.Suites.Gemm;
using Micro.Suites.Launch;
using Micro.Suites.Link;
using Micro.Suites.Running;

namespace Micro.Gpu.Tests;

/// <summary>The suites end to end: skipped cleanly without a GPU; on a CUDA machine a small real run that must verify.</summary>
public class GpuSuiteTests
{
    private static readonly SuiteRequest Small = new() { Quick = true, Iterations = 2, Warmup = 1 };

    public static TheoryData<string> Suites => new() { "link", "gemm", "launch" };

    private static ISuite Make(string name) => name switch
    {
        "link" => new LinkSuite(),
        "gemm" => new GemmSuite(),
        _ => new LaunchSuite(),
    };

    [Theory]
    [MemberData(nameof(Suites))]
    public void Without_a_driver_a_suite_reports_a_skip_not_a_crash(string name)
    {
        if (CudaDriver.TryInitialize(out _)) Assert.Skip("a CUDA driver is present: see the GPU run test");
        var sink = new ListSink();
        var outcome = Make(name).Run(Small, sink, NullProgress.Instance);
        Assert.Empty(sink.Records);
        Assert.Empty(outcome.Failures);
        var line = Assert.Single(outcome.Skipped);
        Assert.StartsWith($"{name}: no CUDA driver", line);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void On_a_cuda_gpu_a_quick_run_verifies(string name)
    {
        if (!CudaDriver.TryInitialize(out var why)) Assert.Skip("needs a CUDA GPU: " + why);
        var sink = new ListSink();
        var outcome = name switch
        {
            "gemm" => new GemmSuite().Run(Small, new GemmOptions { DTypes = new HashSet<string> { "bf16" } }, sink, NullProgress.Instance),
            "link" => new LinkSuite().Run(Small, new LinkOptions { SizeBytes = 1 << 20 }, sink, NullProgress.Instance),
            _ => Make(name).Run(Small, sink, NullProgress.Instance),
        };
        Assert.Empty(outcome.Failures);
        Assert.NotEmpty(sink.Records);
        Assert.All(sink.Records, r => Assert.True(r.Verification.Passed, $"{r.Case}: {r.Verification.Method}"));
    }
}
