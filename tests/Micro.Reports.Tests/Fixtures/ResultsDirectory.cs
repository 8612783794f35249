using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Core.Fleet;
using Micro.Core.Results;

namespace Micro.Reports.Tests.Fixtures;

/// <summary>Writes a results directory (results.jsonl + ceilings.json) the way `micro run` does, in a fresh temp folder.</summary>
public sealed class ResultsDirectory : IDisposable
{
    public ResultsDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "micro-report-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void WriteRecords(IEnumerable<MeasurementRecord> records)
    {
        using var w = new ResultsWriter(Path);
        foreach (var r in records) w.Write(r);
    }

    public void WriteCeilings(IReadOnlyList<MeasurementRecord> records, IReadOnlyList<DeviceInfo> devices, bool fleet = false, double threshold = 0.05, IReadOnlyList<FleetMember>? members = null)
    {
        var built = CeilingsBuilder.Build(records, devices);
        var profile = new CeilingsProfile
        {
            Context = RunContext.Capture("micro run --test") with { Devices = devices },
            Devices = built,
            Fleet = fleet ? FleetAnalysis.Analyze(built, members ?? [], threshold) : null,
        };
        CeilingsFile.Write(System.IO.Path.Combine(Path, CeilingsProfile.FileName), profile);
    }

    /// <summary>A single-node GPU run with every suite, plus the host STREAM.</summary>
    public static ResultsDirectory SingleNode()
    {
        var d = new ResultsDirectory();
        const string gpu = "NVIDIA H100 80GB HBM3";
        var records = RecordFactory.Memory(gpu, "native", 3000, 50L << 20, maxLog2: 30)
            .Concat(RecordFactory.Memory(gpu, "ilgpu", 2700, 50L << 20, maxLog2: 30))
            .Concat(RecordFactory.Memory("host", "host", 40, 32L << 20))
            .Concat(RecordFactory.Collectives(gpu, 8, 360))
            .Concat(RecordFactory.Gemm(gpu, 750))
            .Concat(RecordFactory.Attention(gpu, 3000))
            .Concat(RecordFactory.Launch(gpu))
            .ToList();
        d.WriteRecords(records);
        d.WriteCeilings(records,
        [
            new DeviceInfo { Name = gpu, Kind = DeviceKind.Gpu, Source = "cuda-driver", Uuid = "GPU-1234", PciBusId = "0000:18:00.0", LastLevelCacheBytes = 50L << 20, NumaNode = 0 },
            new DeviceInfo { Name = "host", Kind = DeviceKind.Host, Source = "host", LastLevelCacheBytes = 32L << 20 },
        ]);
        return d;
    }

    /// <summary>A fleet of hosts x gpus ranks; the rank `slowRank` measures `slowFactor` times slower.</summary>
    public static ResultsDirectory Fleet(int hosts, int gpusPerHost, int slowRank, double slowFactor)
    {
        var d = new ResultsDirectory();
        const string gpu = "NVIDIA H100 80GB HBM3";
        var records = new List<MeasurementRecord>();
        var members = new List<FleetMember>();
        for (var rank = 0; rank < hosts * gpusPerHost; rank++)
        {
            var host = $"node{rank / gpusPerHost:00}";
            var id = $"GPU-{rank:0000}";
            // A little deterministic spread, as real devices show.
            var jitter = 1 + 0.01 * ((rank * 7 % 5) - 2) / 2.0;
            var slow = rank == slowRank ? slowFactor : jitter;
            records.AddRange(RecordFactory.Memory(gpu, "native", 3000, 50L << 20, slow, rank, host, id, minLog2: 26, maxLog2: 30));
            records.AddRange(RecordFactory.Gemm(gpu, 750 / slow).Select(r => r with { Rank = rank, Host = host, DeviceId = id }));
            members.Add(new FleetMember { Rank = rank, Host = host, Device = gpu, DeviceId = id, PciBusId = $"0000:{0x18 + rank % gpusPerHost:x2}:00.0",
                DeviceNumaNode = rank % gpusPerHost < gpusPerHost / 2 ? 0 : 1, CpuNumaNodes = rank == slowRank ? [1 - (rank % gpusPerHost < gpusPerHost / 2 ? 0 : 1)] : [rank % gpusPerHost < gpusPerHost / 2 ? 0 : 1] });
        }
        d.WriteRecords(records);
        d.WriteCeilings(records, [new DeviceInfo { Name = gpu, Kind = DeviceKind.Gpu, Source = "cuda-driver", LastLevelCacheBytes = 50L << 20 }], fleet: true, members: members);
        return d;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
