using System.Text.Json;
using Micro.Core.Context;
using Micro.Core.Results;
using Micro.Suites.Running;

namespace Micro.Suites.Tests;

/// <summary>Issue 11 class 19: host points record the CPU share their threads got and the load around them, from an injected source.</summary>
public class ContentionTests
{
    /// <summary>A scripted machine: each point's wall time, the CPU time the process got in it, and the load before and after.</summary>
    private sealed class ScriptedLoad(double wall, double cpu, double loadBefore, double loadAfter, int cores = 2) : IHostLoadSource
    {
        private int _cpuCalls, _wallCalls, _loadCalls;
        public double ProcessCpuSeconds() => _cpuCalls++ == 0 ? 100 : 100 + cpu;
        public double WallSeconds() => _wallCalls++ == 0 ? 50 : 50 + wall;
        public double LoadAverage() => _loadCalls++ == 0 ? loadBefore : loadAfter;
        public int Cores => cores;
    }

    private sealed class Op : IMeasuredOperation
    {
        public string Timer => "host-clock";
        public void Prepare() { }
        public double RunTimed() => 0.01;
        public Verification Verify() => Verification.Ok(1, 0, "test");
        public void Dispose() { }
    }

    private static CaseDescriptor HostCase(int threads = 2) => new()
    {
        Suite = "memory", Case = "triad", Backend = "host", Device = "cpu",
        Parameters = new Dictionary<string, string> { ["threads"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    private static MeasurementRecord Measure(CaseDescriptor c, IHostLoadSource load) =>
        new BenchmarkRunner(new RunnerOptions(0, 3) { LoadSource = load }, new ListSink()).Measure(c, new Op());

    [Theory]
    // wall s, cpu s, load before, after, expected share, busy
    [InlineData(1.0, 1.96, 0.1, 2.0, 0.98, false)]  // idle machine: both threads ran the whole time; the load is its own
    [InlineData(1.0, 0.70, 2.9, 3.1, 0.35, true)]   // another process took the cores (0.35 GB/s read, "verified ok")
    [InlineData(1.0, 1.90, 3.4, 3.2, 0.95, true)]   // full share, but load beyond its own threads says someone competed
    [InlineData(1.0, 1.40, 0.2, 1.9, 0.70, true)]   // a share below 0.75 alone is enough
    public void AHostPointRecordsItsShareAndLoadAndIsMarkedBusy(double wall, double cpu, double before, double after, double share, bool busy)
    {
        var r = Measure(HostCase(), new ScriptedLoad(wall, cpu, before, after));
        var c = Assert.IsType<Contention>(r.Contention);
        Assert.Equal(share, c.CpuShare!.Value, 6);
        Assert.Equal(before, c.LoadBefore);
        Assert.Equal(after, c.LoadAfter);
        Assert.Equal(busy, c.Busy);
    }

    [Fact]
    public void DevicePointsCarryNoContention() =>
        Assert.Null(Measure(HostCase() with { Backend = "native" }, new ScriptedLoad(1, 0.1, 9, 9)).Contention);

    [Fact]
    public void WithoutAThreadCountTheCoresAreTheThreads()
    {
        var c = HostCase() with { Parameters = new Dictionary<string, string>() };
        Assert.Equal(0.5, Measure(c, new ScriptedLoad(1, 2, 0, 0, cores: 4)).Contention!.CpuShare!.Value, 6);
    }

    [Fact]
    public void TheContractKeysAreSnakeCase()
    {
        var r = Measure(HostCase(), new ScriptedLoad(1, 1.96, 0.1, 2));
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(r, MicroJson.Line));
        var c = doc.RootElement.GetProperty("contention");
        Assert.Equal(["cpu_share", "load_before", "load_after", "busy"], c.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.False(c.GetProperty("busy").GetBoolean());
    }

    [Fact]
    public void TheSystemSourceReadsThisMachine()
    {
        var s = SystemHostLoad.Instance;
        var cpu0 = s.ProcessCpuSeconds();
        // Spin until the process clock moves (a loaded machine may give a short spin no CPU at all), with a limit.
        var spin = System.Diagnostics.Stopwatch.StartNew();
        while (s.ProcessCpuSeconds() <= cpu0 && spin.Elapsed < TimeSpan.FromSeconds(30)) { }
        Assert.True(s.ProcessCpuSeconds() > cpu0, "the process CPU clock did not move in 30 s of spinning");
        if (File.Exists("/proc/loadavg")) Assert.True(s.LoadAverage() >= 0);
        Assert.True(s.Cores >= 1);
    }
}
