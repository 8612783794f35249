using System.Buffers.Binary;
using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Core.Fleet;
using Micro.Core.Results;
using Micro.Suites.Running;

namespace Micro.Suites.Fleet;

/// <param name="Threshold">Fraction below the fleet median that flags a device.</param>
/// <param name="GatherTimeout">How long rank 0 waits for the slowest rank to finish measuring and send its results.</param>
/// <param name="SlowRank">TEST ONLY: the rank whose times are multiplied by SlowFactor.</param>
/// <param name="StopRank">TEST ONLY: this rank stops itself with SIGSTOP before measuring (a stalled rank, as a debugger or
/// a hung driver leaves it), so the others must name it and end the job with the timeout code.</param>
/// <param name="Serial">Ranks on the same host take turns (hosts still run at once): for ranks that share one host's
/// cores or memory bus, whose concurrent runs would measure each other (CPU ranks on one node, CI's 4 ranks on 2 cores).</param>
public sealed record FleetOptions(double Threshold = FleetAnalysis.DefaultThreshold, TimeSpan? GatherTimeout = null, int? SlowRank = null, double SlowFactor = 1, bool Serial = false, int? StopRank = null)
{
    public TimeSpan Timeout => GatherTimeout ?? TimeSpan.FromMinutes(30);
}

/// <summary>What a fleet run produced on this rank (Assembled only on rank 0).</summary>
public sealed record FleetOutcome(int Rank, int Size, string RankDirectory, IReadOnlyList<MeasurementRecord> LocalRecords,
    IReadOnlyList<string> Skipped, IReadOnlyList<string> Failures, FleetAssembler.Assembled? Assembled, string? ResultsPath, string? CeilingsPath);

/// <summary>
/// `micro run --fleet`: every rank runs the same suites on its own device and writes its points, one by one, to
/// OUT/ranks/rank-NNNN/results.jsonl; then rank 0 gathers every rank's report over MPI and writes OUT/results.jsonl
/// (rank, host and device id on each line) and OUT/ceilings.json with the fleet section.
/// </summary>
public sealed class FleetRunner(IFleetComm comm, Func<IReadOnlyList<DeviceInfo>> devices, Func<IReadOnlyList<TelemetrySample>>? telemetry = null, NumaTopology? topology = null)
{
    public FleetOutcome Run(IReadOnlyList<ISuite> suites, SuiteRequest request, string outDir, FleetOptions options, string commandLine)
    {
        var started = DateTimeOffset.UtcNow;
        if (options.StopRank == comm.Rank) StopSelf();
        var rankDir = Path.Combine(outDir, "ranks", $"rank-{comm.Rank:0000}");
        var list = new ListSink();
        var turns = options.Serial ? new HostTurns(comm, outDir, options.Timeout) : null;
        List<string> skipped = [], failures = [];
        using (var writer = new ResultsWriter(rankDir))
        {
            IResultSink sink = new TeeSink(new WriterSink(writer), list);
            if (options.SlowRank == comm.Rank && options.SlowFactor != 1) sink = new SlowedSink(sink, options.SlowFactor);
            void Measure()
            {
                foreach (var suite in suites)
                {
                    var outcome = suite.Run(request, QuickSink.For(request, sink), NullProgress.Instance);
                    skipped.AddRange(outcome.Skipped);
                    failures.AddRange(outcome.Failures);
                }
            }
            if (turns is null) Measure();
            else turns.Take(Measure);
        }

        var known = devices();
        var samples = telemetry?.Invoke() ?? [];
        var device = MeasuredDevice(list.Records, known);
        var report = new RankReport
        {
            Rank = comm.Rank, Size = comm.Size, LocalRank = comm.LocalRank, Host = comm.Host,
            Member = FleetAssembler.Describe(comm.Rank, comm.Host, device, samples, topology ?? new NumaTopology(), []),
            Devices = known, Telemetry = samples, Records = list.Records, Skipped = skipped, Failures = failures,
        };
        comm.Arrive(options.Timeout); // names a stalled rank instead of timing out inside the gather
        var gathered = GatherReports(report, options.Timeout);
        if (turns is not null)
        {
            comm.Barrier(options.Timeout); // every rank is past its turn: markers can go
            turns.Cleanup();
        }
        if (gathered is null)
            return new FleetOutcome(comm.Rank, comm.Size, rankDir, list.Records, skipped, failures, null, null, null);

        var assembled = FleetAssembler.Assemble(gathered, options.Threshold);
        var results = Path.Combine(outDir, ResultsWriter.FileName);
        WriteResults(results, assembled.Records);
        var context = RunContext.Capture(commandLine) with
        {
            Started = started, Finished = DateTimeOffset.UtcNow, Devices = assembled.Devices,
            Telemetry = gathered.SelectMany(g => g.Telemetry).ToList(),
        };
        var ceilings = Path.Combine(outDir, CeilingsProfile.FileName);
        var profile = CeilingsService.Update(outDir, context, assembled.Fleet.Members, options.Threshold);
        assembled = assembled with { Ceilings = profile.Devices, Fleet = profile.Fleet! };
        return new FleetOutcome(comm.Rank, comm.Size, rankDir, list.Records,
            gathered.SelectMany(g => g.Skipped.Select(s => $"rank {g.Rank}: {s}")).ToList(),
            gathered.SelectMany(g => g.Failures.Select(s => $"rank {g.Rank} ({g.Host}): {s}")).ToList(),
            assembled, results, ceilings);
    }

    private static void StopSelf()
    {
        Console.Error.WriteLine($"micro: --test-stop-rank: stopping process {Environment.ProcessId} with SIGSTOP");
        using var kill = System.Diagnostics.Process.Start("kill", ["-STOP", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>
    /// The device this rank measured: a GPU first (GPU suites put its PCI bus id in DeviceId, so it is found even when
    /// no probe listed it), else the device most of its records name.
    /// </summary>
    public static DeviceInfo? MeasuredDevice(IReadOnlyList<MeasurementRecord> records, IReadOnlyList<DeviceInfo> known)
    {
        var gpu = records.Where(r => LooksLikePci(r.DeviceId)).GroupBy(r => (r.Device, r.DeviceId)).OrderByDescending(g => g.Count()).FirstOrDefault();
        if (gpu is not null)
        {
            var info = known.FirstOrDefault(d => d.Kind == DeviceKind.Gpu && (d.PciBusId == gpu.Key.DeviceId || d.Name == gpu.Key.Device));
            return info is null
                ? new DeviceInfo { Name = gpu.Key.Device, Kind = DeviceKind.Gpu, Source = "records", PciBusId = gpu.Key.DeviceId }
                : info with { PciBusId = info.PciBusId ?? gpu.Key.DeviceId };
        }
        var names = records.GroupBy(r => r.Device).OrderByDescending(g => g.Count()).Select(g => g.Key).ToList();
        var candidates = names.Select(n => known.FirstOrDefault(d => d.Name == n)).Where(d => d is not null).Select(d => d!).ToList();
        return candidates.FirstOrDefault(d => d.Kind == DeviceKind.Gpu) ?? candidates.FirstOrDefault()
            ?? (names.Count > 0 ? new DeviceInfo { Name = names[0], Kind = DeviceKind.Host, Source = "records" } : null);
    }

    private static bool LooksLikePci(string? id) =>
        id is not null && id.Count(c => c == ':') == 2 && id.Contains('.', StringComparison.Ordinal) && NumaTopology.NormalizePci(id) is not null;

    /// <summary>Variable-length gather over a fixed-size one: agree on the longest report, pad, prefix each with its length.</summary>
    public IReadOnlyList<RankReport>? GatherReports(RankReport mine, TimeSpan timeout)
    {
        var payload = mine.ToBytes();
        if (payload.Length > RankReport.MaxBytes) throw new FleetCommException($"rank {comm.Rank}: report of {payload.Length} bytes exceeds {RankReport.MaxBytes}");
        var longest = comm.AllReduceMax([payload.Length], timeout)[0];
        if (longest > RankReport.MaxBytes) throw new FleetCommException($"a rank's report of {longest} bytes exceeds {RankReport.MaxBytes}");
        var slot = 8 + (int)longest;
        var framed = new byte[slot];
        BinaryPrimitives.WriteInt64LittleEndian(framed, payload.Length);
        payload.CopyTo(framed, 8);
        var all = comm.GatherFixed(framed, timeout);
        if (all is null) return null;
        var reports = new List<RankReport>(comm.Size);
        if (all.Length != comm.Size) throw new FleetCommException($"gather returned {all.Length} reports for {comm.Size} ranks");
        for (var r = 0; r < comm.Size; r++)
        {
            var frame = all[r].AsSpan();
            if (frame.Length != slot) throw new InputException($"rank {r} report", "length", $"{frame.Length}-byte frame, expected {slot}");
            var length = BinaryPrimitives.ReadInt64LittleEndian(frame);
            if (length < 0 || length > slot - 8) throw new InputException($"rank {r} report", "length", $"{length} does not fit its {slot - 8}-byte slot");
            reports.Add(RankReport.FromBytes(frame.Slice(8, (int)length), r));
        }
        return reports;
    }

    /// <summary>
    /// The gathered points appended after the folder's earlier points (every run's candidates stay for the ceilings),
    /// line by line with a flush per point as ResultsWriter does, replacing the file atomically.
    /// </summary>
    private static void WriteResults(string path, IReadOnlyList<MeasurementRecord> records)
    {
        var tmpDir = Path.Combine(Path.GetDirectoryName(path)!, ".fleet-gather");
        if (Directory.Exists(tmpDir)) Directory.Delete(tmpDir, true);
        Directory.CreateDirectory(tmpDir);
        if (File.Exists(path)) File.Copy(path, Path.Combine(tmpDir, ResultsWriter.FileName));
        using (var w = new ResultsWriter(tmpDir))
            foreach (var r in records) w.Write(r);
        File.Move(Path.Combine(tmpDir, ResultsWriter.FileName), path, overwrite: true);
        Directory.Delete(tmpDir, true);
    }
}
