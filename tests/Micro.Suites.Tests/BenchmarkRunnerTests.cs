using Micro.Core.Results;
using Micro.Suites.Running;

namespace Micro.Suites.Tests;

public class BenchmarkRunnerTests
{
    private static readonly CaseDescriptor Case = new() { Suite = "t", Case = "c", Backend = "b", Device = "d", Bytes = 1000 };

    private sealed class Op(Func<double> run, bool throwInVerify = false) : IMeasuredOperation
    {
        public int Runs { get; private set; }
        public string Timer => "host-clock";
        public void Prepare() { }
        public double RunTimed() { Runs++; return run(); }
        public Verification Verify() => throwInVerify ? throw new InvalidDataException("bad output") : Verification.Ok(1, 0, "test");
        public void Dispose() { }
    }

    [Fact]
    public void WarmsUpThenTimesAndWritesOnePoint()
    {
        var sink = new ListSink();
        var op = new Op(() => 0.5);
        var r = new BenchmarkRunner(new RunnerOptions(Warmup: 3, Iterations: 7), sink).Measure(Case, op);
        Assert.Equal(10, op.Runs);
        Assert.Equal(7, r.Time.Count);
        Assert.Equal(0.5, r.Time.Median);
        Assert.Equal(1000 / 0.5 / 1e9, r.Bandwidth!.Median, 15);
        Assert.Same(r, Assert.Single(sink.Records));
    }

    [Fact]
    public void AFailingCaseSurfacesItsOwnExceptionAndWritesNothing()
    {
        var sink = new ListSink();
        var e = Assert.Throws<InvalidDataException>(() => new BenchmarkRunner(new RunnerOptions(1, 2), sink).Measure(Case, new Op(() => 1, throwInVerify: true)));
        Assert.Equal("bad output", e.Message);
        Assert.Empty(sink.Records);
    }

    [Fact]
    public void AHungCaseIsStoppedByTheWatchdog()
    {
        var gate = new ManualResetEventSlim();
        var op = new Op(() => { gate.Wait(TimeSpan.FromSeconds(30)); return 1; });
        var e = Assert.Throws<CaseTimeoutException>(() => new BenchmarkRunner(new RunnerOptions(0, 1, TimeSpan.FromMilliseconds(200)), new ListSink()).Measure(Case, op));
        Assert.Contains("timed out", e.Message);
        gate.Set();
    }

    [Fact]
    public void ZeroOrNegativeTimesAreRejected() =>
        Assert.Throws<InvalidOperationException>(() => new BenchmarkRunner(new RunnerOptions(0, 2), new ListSink()).Measure(Case, new Op(() => 0)));
}
