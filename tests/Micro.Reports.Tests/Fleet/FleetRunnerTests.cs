using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Core.Fleet;
using Micro.Core.Results;
using Micro.Reports.Tests.Fixtures;
using Micro.Suites.Fleet;
using Micro.Suites.Running;

namespace Micro.Reports.Tests.Fleet;

public sealed class FleetRunnerTests
{
    /// <summary>A suite whose one case "measures" a fixed time through the real runner: a 64 MiB triad at 20 GB/s.</summary>
    private sealed class FixedSuite : ISuite
    {
        public string Name => "memory";
        public string Description => "fixed";
        public IReadOnlyList<SuiteBackend> Backends { get; } = [new("host", OnHost: true)];

        public SuiteOutcome Run(SuiteRequest request, IResultSink sink, ISuiteProgress progress)
        {
            var runner = new BenchmarkRunner(new RunnerOptions(1, 5), sink);
            const long bytes = 3L * (64 << 20);
            runner.Measure(new CaseDescriptor
            {
                Suite = "memory", Case = "triad", Backend = "host", Device = "test cpu", DType = "fp64", Bytes = bytes,
                Point = new Micro.Core.Results.Points.StreamParameters { Kernel = "Triad", Elements = 8L << 20, ArrayBytes = 64L << 20 },
                Ceiling = CeilingNames.HostMemoryBandwidth,
            }, new FixedOp(bytes / 20e9));
            return SuiteOutcome.Empty;
        }
    }

    private sealed class FixedOp(double seconds) : IMeasuredOperation
    {
        public string Timer => "fixed";
        public void Prepare() { }
        public double RunTimed() => seconds;
        public Verification Verify() => Verification.Ok(1, 0, "fixed");
        public void Dispose() { }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RankZeroGathersEveryRankAndFlagsOnlyTheSlowedOne(bool serial)
    {
        var world = new ThreadWorld(4, ["nodeA", "nodeA", "nodeB", "nodeB"]);
        var dir = Directory.CreateTempSubdirectory("micro-fleet-").FullName;
        try
        {
            DeviceInfo cpu = new() { Name = "test cpu", Kind = DeviceKind.Host, Source = "test" };
            var options = new FleetOptions(Threshold: 0.25, GatherTimeout: TimeSpan.FromSeconds(60), SlowRank: 2, SlowFactor: 2, Serial: serial);
            var outcomes = Enumerable.Range(0, 4).AsParallel().WithDegreeOfParallelism(4)
                .Select(rank => new FleetRunner(world.Comm(rank), () => [cpu]).Run([new FixedSuite()], new SuiteRequest { Quick = true }, dir, options, "micro run --fleet"))
                .ToList();

            var root = outcomes.Single(o => o.Rank == 0);
            Assert.NotNull(root.Assembled);
            Assert.All(outcomes.Where(o => o.Rank != 0), o => Assert.Null(o.Assembled));
            Assert.All(outcomes, o => Assert.Single(ResultsReader.Read(Path.Combine(o.RankDirectory, ResultsWriter.FileName))));

            var gathered = ResultsReader.Read(root.ResultsPath!);
            Assert.Equal([0, 1, 2, 3], gathered.Select(r => r.Rank!.Value).Order());
            Assert.Equal(["nodeA", "nodeA", "nodeB", "nodeB"], gathered.OrderBy(r => r.Rank).Select(r => r.Host!));
            Assert.All(gathered, r => Assert.False(string.IsNullOrEmpty(r.DeviceId)));
            Assert.Equal(10, gathered.Single(r => r.Rank == 2).Bandwidth!.Median, 6);
            Assert.Contains("TEST", gathered.Single(r => r.Rank == 2).Label, StringComparison.Ordinal);

            var fleet = CeilingsFile.Read(root.CeilingsPath!).Fleet;
            Assert.NotNull(fleet);
            Assert.Equal(4, fleet.Ranks);
            Assert.Equal(["nodeA", "nodeB"], fleet.Hosts);
            var o = Assert.Single(fleet.Outliers);
            Assert.Equal((2, "nodeB", CeilingNames.HostMemoryBandwidth), (o.Rank, o.Host, o.Ceiling));

            Assert.False(Directory.Exists(Path.Combine(dir, "ranks", ".turns")));
            // And the report renders the fleet bars from it.
            var report = Micro.Reports.ReportBuilder.Build(dir);
            Assert.Contains(report.Figures, f => f.Chart.Id.StartsWith("fleet-", StringComparison.Ordinal));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void TheMeasuredDeviceIsTheGpuNamedByPciIdEvenWhenNoProbeListsIt()
    {
        var host = RecordFactory.Make("memory", "triad", "host", "cpu", RecordFactory.Times(1e-3), bytes: 1000);
        var gpu = RecordFactory.Make("link", "h2d", "cuda", "NVIDIA H100", RecordFactory.Times(1e-3), bytes: 1000, deviceId: "00000000:18:00.0");
        DeviceInfo cpu = new() { Name = "cpu", Kind = DeviceKind.Host, Source = "t" };
        var d = FleetRunner.MeasuredDevice([host, host, host, gpu], [cpu]);
        Assert.NotNull(d);
        Assert.Equal((DeviceKind.Gpu, "NVIDIA H100", "00000000:18:00.0"), (d.Kind, d.Name, d.PciBusId));
        Assert.Equal(cpu, FleetRunner.MeasuredDevice([host], [cpu]));
    }

    [Fact]
    public void SlowedSinkScalesTimesAndRatesAndSaysSo()
    {
        var r = RecordFactory.Make("memory", "triad", "host", "cpu", RecordFactory.Times(1e-3), bytes: 1_000_000, flops: 2e6);
        var s = SlowedSink.Slow(r, 2);
        Assert.Equal(2e-3, s.Time.Median, 12);
        Assert.Equal(r.Bandwidth!.Median / 2, s.Bandwidth!.Median, 9);
        Assert.Equal(r.Compute!.Median / 2, s.Compute!.Median, 9);
        Assert.Contains(SlowedSink.LabelNote, s.Label, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlowedSink(new ListSink(), 0));
    }

    [Fact]
    public void CorruptPeerReportFailsWithTheRank()
    {
        var e = Assert.Throws<InputException>(() => RankReport.FromBytes("{\"rank\":1,"u8, 3));
        Assert.Contains("rank 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NumaTopologyReadsSysfsAndAffinity()
    {
        var root = Directory.CreateTempSubdirectory("micro-sys-").FullName;
        try
        {
            var dev = Path.Combine(root, "bus", "pci", "devices", "0000:18:00.0");
            Directory.CreateDirectory(dev);
            File.WriteAllText(Path.Combine(dev, "numa_node"), "1\n");
            foreach (var (n, cpus) in new[] { (0, "0-3"), (1, "4-7") })
            {
                var nd = Path.Combine(root, "devices", "system", "node", $"node{n}");
                Directory.CreateDirectory(nd);
                File.WriteAllText(Path.Combine(nd, "cpulist"), cpus + "\n");
            }
            var status = Path.Combine(root, "status");
            File.WriteAllText(status, "Name:\tmicro\nCpus_allowed_list:\t0-1,3\n");
            var topo = new NumaTopology(root, status);
            Assert.Equal(1, topo.DeviceNode("00000000:18:00.0"));
            Assert.Null(topo.DeviceNode("0000:99:00.0"));
            Assert.Equal([0], topo.CpuNodes());
            var member = FleetAssembler.Describe(0, "h", new DeviceInfo { Name = "gpu", Kind = DeviceKind.Gpu, Source = "t", PciBusId = "00000000:18:00.0" }, [], topo, []);
            Assert.Contains("cross-NUMA", FleetAnalysis.Explain(member), StringComparison.Ordinal);
        }
        finally { Directory.Delete(root, true); }
    }
}
