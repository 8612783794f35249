using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Core.Results;
using Micro.Core.Statistics;
using Micro.Suites.Running;

namespace Micro.Suites.Tests;

/// <summary>The energy arithmetic and the runner's power sampling, on a fake sensor (no GPU, no NVML).</summary>
public class PowerTests
{
    /// <summary>A sensor at constant board power: the energy counter advances by watts x elapsed time, in mJ.</summary>
    private sealed class FakeSensor(double watts, int smClock = 1980, params string[] reasons) : IPowerSource
    {
        private readonly double _t0 = PowerReading.Now();
        public int Reads { get; private set; }
        public PowerReading Read()
        {
            Reads++;
            var now = PowerReading.Now();
            return new PowerReading(now, 5_000_000UL + (ulong)((now - _t0) * watts * 1000), watts, smClock - Reads % 2 * 15, 3201, 40 + Reads % 3, reasons);
        }
    }

    private static PowerReading At(double t, ulong? mj, double? w = null, int? sm = null, double? temp = null, params string[] reasons) =>
        new(t, mj, w, sm, 3201, temp, reasons);

    [Fact]
    public void Average_watts_and_joules_come_from_the_energy_counter_difference()
    {
        var s = PowerWindow.Summarize(At(10.0, 1_000_000, 690, 1980, 41), At(10.5, 1_350_000, 710, 1755, 44, "sw_power_cap"),
            [At(10.2, 1_140_000, 700, 1830, 45, "sw_power_cap", "sw_thermal_slowdown")], 20);
        Assert.Equal(0.5, s.WindowSeconds, 12);
        Assert.Equal(350.0, s.EnergyJoules!.Value, 9);          // (1,350,000 - 1,000,000) mJ
        Assert.Equal(700.0, s.AverageWatts!.Value, 9);          // 350 J / 0.5 s
        Assert.Equal(700.0, s.SampledMeanWatts!.Value, 9);
        Assert.Equal(710.0, s.SampledMaxWatts);
        Assert.Equal((1755, 1980), (s.SmClockMinMHz, s.SmClockMaxMHz));
        Assert.Equal(45.0, s.TemperatureMaxC);
        Assert.Equal(["sw_power_cap", "sw_thermal_slowdown"], s.ThrottleReasons);
        Assert.Equal(3, s.Samples);
        Assert.Null(s.NotAvailable);
    }

    [Fact]
    public void Short_windows_and_missing_or_stuck_counters_say_not_available()
    {
        var shortWindow = PowerWindow.Summarize(At(1.0, 100), At(1.02, 114), [], 20);
        Assert.Null(shortWindow.AverageWatts);
        Assert.Null(shortWindow.EnergyJoules);
        Assert.Contains("shorter than 0.25 s", shortWindow.NotAvailable);
        Assert.Contains("no energy counter", PowerWindow.Summarize(At(1, null), At(2, null), [], 20).NotAvailable);
        Assert.Contains("did not advance", PowerWindow.Summarize(At(1, 500), At(2, 500), [], 20).NotAvailable);
    }

    [Fact]
    public void Efficiency_and_the_energy_floor_per_token()
    {
        var p = new PowerSummary { AverageWatts = 640 };
        Assert.Equal(4300.0 / 640, PowerWindow.PerWatt(4300, p));
        Assert.Null(PowerWindow.PerWatt(4300, new PowerSummary { NotAvailable = "short" }));
        // 700 W at the bound, a 9.92 ms step, batch 64: 0.1085 J per output token.
        Assert.Equal(700 * 9.92e-3 / 64, PowerWindow.EnergyPerToken(700, 9.92e-3, 64), 12);
    }

    private sealed class SleepOp(double seconds) : IMeasuredOperation
    {
        public int Runs { get; private set; }
        public string Timer => "host-clock";
        public void Prepare() { }
        public double RunTimed() { Runs++; Thread.Sleep(TimeSpan.FromSeconds(seconds)); return seconds; }
        public Verification Verify() => Verification.Ok(1, 0, "test");
        public void Dispose() { }
    }

    [Fact]
    public void The_runner_samples_during_every_point_and_extends_only_ceiling_candidates()
    {
        var device = "fake GPU " + Guid.NewGuid();
        var sensor = new FakeSensor(650, 1980, "sw_power_cap");
        PowerSources.Register(device, "0000:fa:ke.0", sensor);
        var runner = new BenchmarkRunner(new RunnerOptions(Warmup: 1, Iterations: 3), new ListSink());

        var op = new SleepOp(0.002);
        var candidate = runner.Measure(new CaseDescriptor { Suite = "t", Case = "copy", Backend = "b", Device = device, DeviceId = "0000:fa:ke.0", Ceiling = "memory_bandwidth", Bytes = 1000 }, op);
        Assert.NotNull(candidate.Power);
        Assert.True(candidate.Power!.WindowSeconds >= PowerWindow.MinimumSeconds);
        Assert.Equal(650, candidate.Power.AverageWatts!.Value, 0); // the counter's difference over the window
        Assert.True(op.Runs > 4);                                  // ran on past warm-up + 3 timed iterations
        Assert.Equal(3, candidate.Time.Count);                     // ... which the statistics do not count
        Assert.Equal(["sw_power_cap"], candidate.Power.ThrottleReasons);
        Assert.True(sensor.Reads >= 3);

        var plain = runner.Measure(new CaseDescriptor { Suite = "t", Case = "small", Backend = "b", Device = device, Bytes = 1000 }, new SleepOp(0.002));
        Assert.Null(plain.Power!.AverageWatts);
        Assert.Contains("shorter", plain.Power.NotAvailable);

        var host = runner.Measure(new CaseDescriptor { Suite = "t", Case = "host", Backend = "host", Device = "a host CPU " + Guid.NewGuid(), Bytes = 1000 }, new SleepOp(0.001));
        Assert.Null(host.Power); // nothing registered for it: no power section at all
    }

    private static MeasurementRecord Point(string @case, double gbps, PowerSummary? power) => new()
    {
        Suite = "memory", Case = @case, Backend = "native", Device = "NVIDIA H200", Ceiling = CeilingNames.MemoryBandwidth,
        Time = Stats.Summarize([1e-3]), Bandwidth = new Throughput("GB/s", gbps, gbps, gbps), Verification = Verification.Ok(1, 0, "t"),
        Power = power,
    };

    [Fact]
    public void Ceilings_gain_throughput_per_watt_from_their_point_or_the_fastest_point_with_power()
    {
        var own = CeilingsBuilder.Build([Point("copy", 4400, new PowerSummary { AverageWatts = 550 })], []).Single().Find(CeilingNames.MemoryBandwidth)!;
        Assert.Equal(8.0, own.PerWatt!.Value, 12);
        Assert.Equal("GB/s per W", own.PerWattUnit);
        Assert.Null(own.PowerFrom);

        var borrowed = CeilingsBuilder.Build([Point("triad", 4450, new PowerSummary { NotAvailable = "short" }), Point("copy", 4000, new PowerSummary { AverageWatts = 500 })], [])
            .Single().Find(CeilingNames.MemoryBandwidth)!;
        Assert.Equal(4450, borrowed.Value);
        Assert.Equal(8.0, borrowed.PerWatt!.Value, 12);
        Assert.Equal("memory/copy (native)", borrowed.PowerFrom);

        Assert.Null(CeilingsBuilder.Build([Point("copy", 4000, null)], []).Single().Find(CeilingNames.MemoryBandwidth)!.PerWatt);
    }
}
