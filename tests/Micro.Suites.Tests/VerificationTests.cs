using Micro.Suites.Memory;
using Micro.Suites.Running;

namespace Micro.Suites.Tests;

public class VerificationTests
{
    private static readonly SuiteRequest Small = new() { Iterations = 3, Warmup = 1 };
    private static readonly MemoryOptions SmallSize = new() { SizeBytes = 3 * 8 * 8192 };

    [Fact]
    public void ACorrectBackendPassesEveryKernel()
    {
        var sink = new ListSink();
        var outcome = new MemorySuite([new FixedProvider("managed", () => new ManagedStreamBackend())]).Run(Small, SmallSize, sink, NullProgress.Instance);
        Assert.Empty(outcome.Failures);
        Assert.Equal(8 * 2, sink.Records.Count);
        Assert.All(sink.Records, r =>
        {
            Assert.True(r.Verification.Passed, r.Case + " " + r.Verification.Method);
            Assert.True(r.Verification.Checked >= 3 * 8192);
        });
    }

    [Fact]
    public void ABackendThatCorruptsOneElementFailsVerification()
    {
        var sink = new ListSink();
        var suite = new MemorySuite([new FixedProvider("corrupt", () => new CorruptingBackend(new ManagedStreamBackend()))]);
        var outcome = suite.Run(Small, SmallSize, sink, NullProgress.Instance);
        Assert.Equal(sink.Records.Count, outcome.Failures.Count);
        Assert.All(sink.Records, r =>
        {
            Assert.False(r.Verification.Passed, r.Case);
            Assert.True(r.Verification.Wrong > 0);
        });
        // Element-wise kernels: exactly the one corrupted element is wrong.
        Assert.All(sink.Records.Where(r => r.Case is "copy" or "triad" or "write"), r => Assert.Equal(1, r.Verification.Wrong));
    }

    [Fact]
    public void LargeSizesAreCeilingCandidatesAndSmallOnesAreNot()
    {
        var sink = new ListSink();
        var request = new SuiteRequest { Quick = true, Iterations = 1, Warmup = 0 };
        var options = new MemoryOptions { Kernels = [StreamKernel.Copy], DTypes = [StreamDType.Float] };
        new MemorySuite([new FixedProvider("managed", () => new ManagedStreamBackend())]).Run(request, options, sink, NullProgress.Instance);
        Assert.Contains(sink.Records, r => r.Ceiling is null && r.Stream!.PastLlc == false);
        Assert.Contains(sink.Records, r => r.Ceiling == "memory_bandwidth" && r.Stream!.PastLlc == true);
        Assert.All(sink.Records, r => Assert.Equal(2L * 4 * r.Stream!.Elements, r.Bytes));
    }
}
