using Micro.Suites.Memory;
using Micro.Suites.Memory.Backends;
using Micro.Suites.Running;

namespace Micro.Suites.Tests;

public class HostStreamTests
{
    [Fact]
    public void EveryKernelThroughPInvokeVerifiesAndIsTimed()
    {
        Native.RequireHostStream();
        var sink = new ListSink();
        var request = new SuiteRequest { Iterations = 3, Warmup = 1 };
        var outcome = new MemorySuite([new HostStreamProvider()]).Run(request, new MemoryOptions { SizeBytes = 3 * 8 * 65536 }, sink, NullProgress.Instance);
        Assert.Empty(outcome.Failures);
        Assert.Equal(16, sink.Records.Count);
        Assert.All(sink.Records, r =>
        {
            Assert.Equal("host", r.Backend);
            Assert.Equal("host-clock", r.Timer);
            Assert.True(r.Verification.Passed, $"{r.Case} {r.DType}");
            Assert.True(r.Time.Min > 0);
            Assert.True(r.Bandwidth!.Median > 0);
        });
    }

    [Fact]
    public void AWrongHostKernelIsCaught()
    {
        Native.RequireHostStream();
        var sink = new ListSink();
        var request = new SuiteRequest { Iterations = 2, Warmup = 0 };
        var options = new MemoryOptions { SizeBytes = 3 * 4 * 65536, Kernels = [StreamKernel.Triad, StreamKernel.Dot], DTypes = [StreamDType.Float] };
        var outcome = new MemorySuite([new FixedProvider("corrupt", () => new CorruptingBackend(new HostStreamBackend()))]).Run(request, options, sink, NullProgress.Instance);
        Assert.Equal(2, outcome.Failures.Count);
        Assert.All(sink.Records, r => Assert.True(!r.Verification.Passed && r.Verification.Wrong > 0));
    }
}
