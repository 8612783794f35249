using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Core.Fleet;
using Micro.Core.Results;
using Micro.Core.Results.Points;
using Micro.Core.Statistics;

namespace Micro.Core.Tests;

/// <summary>
/// One ceilings writer: whatever verbs ran into a folder, in whatever order, ceilings.json holds the best candidate of
/// every run in its results.jsonl, marks noisy ones, and keeps every run's context.
/// </summary>
public class CeilingsServiceTests
{
    private const string H100 = "NVIDIA H100 80GB HBM3", Epyc = "AMD EPYC 7B13";

    public static readonly string[] Verbs = ["memory", "link", "gemm", "launch", "attention", "collectives", "fleet"];

    public static TheoryData<string, string> OrderedPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var a in Verbs)
            foreach (var b in Verbs)
                if (a != b) data.Add(a, b);
        return data;
    }

    private sealed record VerbRun(IReadOnlyList<MeasurementRecord> Records, IReadOnlyList<FleetMember>? Members,
        IReadOnlyList<(string Device, int? Rank, string Ceiling, double Value)> Expected);

    /// <summary>What each verb writes: a winning and a losing candidate per ceiling, as its suite marks them.</summary>
    private static VerbRun RunOf(string verb) => verb switch
    {
        "memory" => new([Bw("memory", "triad", H100, "memory_bandwidth", 3000), Bw("memory", "copy", H100, "memory_bandwidth", 2900),
                Bw("memory", "nstream", Epyc, "host_memory_bandwidth", 21.9, backend: "host"), Bw("memory", "copy", Epyc, "host_memory_bandwidth", 18.0, backend: "host")],
            null, [(H100, null, "memory_bandwidth", 3000), (Epyc, null, "host_memory_bandwidth", 21.9)]),
        "link" => new([Bw("link", "h2d_pinned_ce", H100, "h2d_pinned", 55.0), Bw("link", "h2d_pinned_sm", H100, "h2d_pinned", 52.0),
                Bw("link", "d2h_pinned_ce", H100, "d2h_pinned", 55.2), Bw("link", "d2d_device_ce", H100, "d2d_copy", 2987)],
            null, [(H100, null, "h2d_pinned", 55.0), (H100, null, "d2h_pinned", 55.2), (H100, null, "d2d_copy", 2987)]),
        "gemm" => new([Flops("gemm", "bf16_square_8192", H100, "gemm_bf16", 781.3), Flops("gemm", "bf16_llama3-8b.down", H100, "gemm_bf16", 815.4)],
            null, [(H100, null, "gemm_bf16", 815.4)]),
        "launch" => new([Latency("launch", "stream_launch", H100, "launch_latency", 4.0), Latency("launch", "sync_round_trip", H100, "launch_latency", 9.5)],
            null, [(H100, null, "launch_latency", 4.0)]),
        "attention" => new([Attention("decode", "native", 4096, bw: 2365.6), Attention("decode", "native", 16384, bw: 1987.4),
                Attention("mla", "ilgpu", 4096, bw: 8.6, model: "deepseek-v3"), Attention("prefill", "native", 8192, tflops: 212.5)],
            null, [(H100, null, AttentionCeilings.DecodeCeiling, 2365.6), (H100, null, AttentionCeilings.PrefillCeiling, 212.5)]),
        "collectives" => new([Bw("collectives", "all_reduce", H100, "collective_busbw", 480.1), Bw("collectives", "all_gather", H100, "collective_busbw", 350),
                Latency("collectives", "all_reduce", H100, "collective_latency", 21.0)],
            null, [(H100, null, "collective_busbw", 480.1), (H100, null, "collective_latency", 21.0)]),
        "fleet" => new([Bw("memory", "triad", H100, "memory_bandwidth", 3010) with { Rank = 0, Host = "n0" },
                Bw("memory", "triad", H100, "memory_bandwidth", 2500) with { Rank = 1, Host = "n1" }],
            [new FleetMember { Rank = 0, Host = "n0", Device = H100 }, new FleetMember { Rank = 1, Host = "n1", Device = H100 }],
            [(H100, 0, "memory_bandwidth", 3010), (H100, 1, "memory_bandwidth", 2500)]),
        _ => throw new ArgumentException(verb),
    };

    [Theory]
    [MemberData(nameof(OrderedPairs))]
    public void EveryPairOfVerbsInEitherOrderKeepsTheCeilingsOfBoth(string first, string second)
    {
        var dir = Directory.CreateTempSubdirectory("micro-svc-").FullName;
        Write(dir, first, RunOf(first), 0);
        var profile = Write(dir, second, RunOf(second), 1);

        foreach (var (device, rank, name, value) in RunOf(first).Expected.Concat(RunOf(second).Expected))
        {
            var d = Assert.Single(profile.Devices, x => x.Device == device && x.Rank == rank);
            var c = d.Find(name);
            Assert.True(c is not null, $"{first} then {second}: {name} of {device} (rank {rank}) lost");
            Assert.Equal(value, c!.Value, 6);
            Assert.False(c.Noisy);
        }
        Assert.Equal([$"micro {first}", $"micro {second}"], profile.Runs.Select(r => r.CommandLine));
        Assert.Equal($"micro {second}", profile.Context.CommandLine);
        Assert.Equal(first == "fleet" || second == "fleet", profile.Fleet is not null);
        if (profile.Fleet is { } fleet) Assert.Contains(fleet.Outliers, o => o.Rank == 1 && o.Ceiling == "memory_bandwidth");
        if (first == "attention" || second == "attention")
        {
            var attention = Assert.Single(profile.Devices, x => x.Device == H100 && x.Rank is null).Attention!;
            Assert.Contains(attention, p => p is { Kind: AttentionKind.Decode, Backend: "native", Tokens: 4096 } && Math.Abs(p.Value - 2365.6) < 1e-6);
            Assert.Contains(attention, p => p is { Kind: AttentionKind.Prefill, Tokens: 8192 } && Math.Abs(p.Value - 212.5) < 1e-6);
            Assert.Contains(attention, p => p is { Kind: AttentionKind.Mla, Model: "deepseek-v3" });
        }

        // The order of the runs does not change the ceilings.
        var other = Directory.CreateTempSubdirectory("micro-svc-").FullName;
        Write(other, second, RunOf(second), 0);
        var reversed = Write(other, first, RunOf(first), 1);
        Assert.Equal(Figures(profile), Figures(reversed));
    }

    [Fact]
    public void ASecondRunWithAWorseOrNoCandidateKeepsTheFirstRunsBest()
    {
        var dir = Directory.CreateTempSubdirectory("micro-svc-").FullName;
        Write(dir, "memory", RunOf("memory"), 0);
        // A --size 1M run: inside the LLC, so no candidate at all; then a run whose only candidate is worse.
        Write(dir, "memory", new VerbRun([Bw("memory", "copy", Epyc, null, 90.0, backend: "host")], null, []), 1);
        var profile = Write(dir, "memory", new VerbRun([Bw("memory", "triad", Epyc, "host_memory_bandwidth", 12.0, backend: "host")], null, []), 2);
        var host = Assert.Single(profile.Devices, d => d.Device == Epyc).Find(CeilingNames.HostMemoryBandwidth)!;
        Assert.Equal(21.9, host.Value, 6);
        Assert.Equal(3, host.Candidates);
        Assert.Equal(3, profile.Runs.Count);
    }

    [Fact]
    public void ANoisyCandidateLosesToAnyCleanOne()
    {
        var records = new[]
        {
            Bw("memory", "triad", Epyc, "host_memory_bandwidth", 40, backend: "host", cv: 0.25),
            Bw("memory", "copy", Epyc, "host_memory_bandwidth", 30, backend: "host", busy: true),
            Bw("memory", "add", Epyc, "host_memory_bandwidth", 20, backend: "host"),
        };
        var c = CeilingsBuilder.Build(records, []).Single().Find(CeilingNames.HostMemoryBandwidth)!;
        Assert.Equal(20, c.Value, 6);
        Assert.False(c.Noisy);
        Assert.Equal(3, c.Candidates);
    }

    [Fact]
    public void WhenEveryCandidateIsNoisyTheBestIsKeptAndMarked()
    {
        var records = new[]
        {
            Bw("memory", "triad", Epyc, "host_memory_bandwidth", 40, backend: "host", cv: 0.25),
            Bw("memory", "copy", Epyc, "host_memory_bandwidth", 30, backend: "host", busy: true),
        };
        var c = CeilingsBuilder.Build(records, []).Single().Find(CeilingNames.HostMemoryBandwidth)!;
        Assert.Equal(40, c.Value, 6);
        Assert.True(c.Noisy);
        Assert.Equal(0.25, c.Cv!.Value, 2);
    }

    [Fact]
    public void AQuickPointIsNeverChosenOverAFullRunPointEvenAFasterCleanerOne()
    {
        var records = new[]
        {
            Bw("memory", "triad", Epyc, "host_memory_bandwidth", 40, backend: "host") with { Quick = true },
            Bw("memory", "copy", Epyc, "host_memory_bandwidth", 20, backend: "host", cv: 0.25),
        };
        var c = CeilingsBuilder.Build(records, []).Single().Find(CeilingNames.HostMemoryBandwidth)!;
        Assert.Equal(20, c.Value, 6);
        Assert.False(c.Quick);
        Assert.True(c.Noisy);
        Assert.Equal(2, c.Candidates);
    }

    [Fact]
    public void WithOnlyQuickPointsTheCeilingIsWrittenMarkedQuickAndBusy()
    {
        var records = new[]
        {
            Bw("memory", "triad", Epyc, "host_memory_bandwidth", 40, backend: "host", busy: true) with { Quick = true },
            Bw("memory", "copy", Epyc, "host_memory_bandwidth", 30, backend: "host", busy: true) with { Quick = true },
        };
        var c = CeilingsBuilder.Build(records, []).Single().Find(CeilingNames.HostMemoryBandwidth)!;
        Assert.Equal(40, c.Value, 6);
        Assert.True(c.Quick);
        Assert.True(c.Busy);
        Assert.True(c.Noisy);
        var json = System.Text.Json.JsonSerializer.Serialize(c, MicroJson.Line);
        Assert.Contains("\"quick\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"busy\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"quick\":true", System.Text.Json.JsonSerializer.Serialize(records[0], MicroJson.Line), StringComparison.Ordinal);
        Assert.DoesNotContain("\"quick\"", System.Text.Json.JsonSerializer.Serialize(records[0] with { Quick = null }, MicroJson.Line), StringComparison.Ordinal);
    }

    [Fact]
    public void TheDatasheetFractionIsFilledForAttentionAndLinkCeilings()
    {
        var profile = CeilingsService.Derive(RunOf("attention").Records.Concat(RunOf("link").Records).ToList(), [Context("micro attention", 0)]);
        var h100 = Assert.Single(profile.Devices);
        Assert.Equal(2365.6 / 3350, h100.Find(AttentionCeilings.DecodeCeiling)!.FractionOfDatasheet!.Value, 6);
        Assert.Equal("TFLOP/s", h100.Find(AttentionCeilings.PrefillCeiling)!.Unit);
        Assert.NotNull(h100.Find(AttentionCeilings.PrefillCeiling)!.FractionOfDatasheet);
        Assert.NotNull(h100.Find(CeilingNames.H2DPinned)!.FractionOfDatasheet);
        Assert.Null(h100.Find(CeilingNames.LaunchLatency));
    }

    [Fact]
    public void AVersionOneProfileInTheFolderKeepsItsContextAsTheFirstRun()
    {
        var dir = Directory.CreateTempSubdirectory("micro-svc-").FullName;
        var example = Path.Combine(Micro.Tests.Shared.TestPaths.RepoRoot, "scripts", "examples", "h100-2026-11-22", "gpu");
        File.Copy(Path.Combine(example, "ceilings.json"), Path.Combine(dir, CeilingsProfile.FileName));
        File.Copy(Path.Combine(example, "results.jsonl"), Path.Combine(dir, ResultsWriter.FileName));
        var before = CeilingsFile.Read(Path.Combine(dir, CeilingsProfile.FileName));
        var profile = Write(dir, "memory", RunOf("memory"), 5);
        Assert.Equal(2, profile.Runs.Count);
        Assert.Equal(before.Context.CommandLine, profile.Runs[0].CommandLine);
        var h100 = Assert.Single(profile.Devices, d => d.Device == H100);
        Assert.Equal(before.Devices.Single(d => d.Device == H100).Find(CeilingNames.GemmBf16)!.Value, h100.Find(CeilingNames.GemmBf16)!.Value, 6);
        Assert.True(h100.Find(CeilingNames.MemoryBandwidth)!.Value >= 3000);
    }

    private static CeilingsProfile Write(string dir, string verb, VerbRun run, int index)
    {
        using (var w = new ResultsWriter(dir))
            foreach (var r in run.Records) w.Write(r);
        return CeilingsService.Update(dir, Context($"micro {verb}", index), run.Members);
    }

    private static RunContext Context(string commandLine, int index) => RunContext.Capture(commandLine) with
    {
        Started = new DateTimeOffset(2026, 12, 1, 12, index, 0, TimeSpan.Zero),
        Devices = [new DeviceInfo { Name = H100, Kind = DeviceKind.Gpu, Source = "test" }, new DeviceInfo { Name = Epyc, Kind = DeviceKind.Host, Source = "host" }],
    };

    private static List<string> Figures(CeilingsProfile p) =>
        p.Devices.SelectMany(d => d.Ceilings.Select(c => $"{d.Device}|{d.Rank}|{c.Name}|{c.Value:R}|{c.Case}"))
            .Concat(p.Devices.SelectMany(d => d.Attention ?? []).Select(a => $"{a.Model}|{a.Kind}|{a.Backend}|{a.Tokens}|{a.Value:R}"))
            .Order(StringComparer.Ordinal).ToList();

    private static SampleSummary Time(double seconds, double cv = 0.01) =>
        new(10, seconds, seconds, seconds * (1 - cv), seconds * (1 + cv), seconds * (1 + cv), seconds * cv, cv);

    private static MeasurementRecord Point(string suite, string @case, string device, string? ceiling, SampleSummary time, string backend, bool busy = false) => new()
    {
        Suite = suite, Case = @case, Backend = backend, Device = device, DType = "bf16", Time = time,
        Verification = Verification.Ok(1000, 0, "test"), Ceiling = ceiling,
        Contention = busy ? new Contention { Busy = true, CpuShare = 0.3 } : null,
    };

    private static MeasurementRecord Bw(string suite, string @case, string device, string? ceiling, double gbps, string backend = "native", double cv = 0.01, bool busy = false)
    {
        const long bytes = 1L << 30;
        var time = Time(bytes / (gbps * 1e9), cv);
        return Point(suite, @case, device, ceiling, time, backend, busy) with { Bytes = bytes, Bandwidth = MeasurementFactory.BandwidthOf(bytes, time) };
    }

    /// <summary>A GEMM point counts bytes too; its ceiling is still the FLOP rate.</summary>
    private static MeasurementRecord Flops(string suite, string @case, string device, string ceiling, double tflops)
    {
        const double flops = 1.1e12;
        var time = Time(flops / (tflops * 1e12));
        return Point(suite, @case, device, ceiling, time, "cublas") with
        {
            Flops = flops, Compute = MeasurementFactory.ComputeOf(flops, time), Bytes = 400_000_000, Bandwidth = MeasurementFactory.BandwidthOf(400_000_000, time),
        };
    }

    private static MeasurementRecord Latency(string suite, string @case, string device, string ceiling, double us) =>
        Point(suite, @case, device, ceiling, Time(us / 1e6), "native");

    private static MeasurementRecord Attention(string kind, string backend, int tokens, double? bw = null, double? tflops = null, string model = "llama-3.1-8b")
    {
        var decode = kind != "prefill" && kind != "prefill-noncausal";
        var r = decode ? Bw("attention", kind, H100, AttentionCeilings.DecodeCeiling, bw!.Value, backend) : Flops("attention", kind, H100, AttentionCeilings.PrefillCeiling, tflops!.Value);
        var point = new AttentionParameters
        {
            Kind = PointNames.Parse<AttentionKind>(kind)!.Value, Model = model, Batch = 16, HeadsQ = 32, QoBytes = 2,
            Context = decode ? tokens : null, SeqLen = decode ? null : tokens,
        };
        return r with { Backend = backend, Attention = point };
    }
}
