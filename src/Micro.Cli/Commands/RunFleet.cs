using System.CommandLine;
using System.Globalization;
using Micro.Cli.Output;
using Micro.Core.Fleet;
using Micro.Core.Results;
using Micro.Devices.Cuda;
using Micro.Devices.Discovery;
using Micro.Suites.Fleet;
using Micro.Suites.Running;

namespace Micro.Cli.Commands;

/// <summary>
/// The fleet options of `micro run` and what `micro run --fleet` does on each rank under mpirun/srun:
/// measure this rank's device, then rank 0 gathers and writes results.jsonl + ceilings.json (fleet section).
/// </summary>
public sealed class RunFleet
{
    public Option<bool> Fleet { get; } = new("--fleet") { Description = "Fleet mode under mpirun/srun: every rank measures its own device; rank 0 gathers all results and flags outliers" };
    public Option<double> Threshold { get; } = new("--fleet-threshold") { Description = "Flag a device more than this fraction worse than the fleet median (default 0.05 = 5%)", DefaultValueFactory = _ => FleetAnalysis.DefaultThreshold };
    public Option<double> Timeout { get; } = new("--fleet-timeout") { Description = "Seconds rank 0 waits for the slowest rank's results, (0, 1e6] (default 1800)", DefaultValueFactory = _ => 1800 };
    public Option<bool> Serial { get; } = new("--fleet-serial") { Description = "Ranks on the same host measure one after another, waiting without spinning (ranks sharing a host's cores or memory, e.g. CPU ranks)" };
    public Option<int?> SlowRank { get; } = new("--test-slow-rank") { Description = "TEST ONLY: multiply every time this rank measures by --test-slow-factor (labelled in its records)" };
    public Option<double> SlowFactor { get; } = new("--test-slow-factor") { Description = "TEST ONLY: the factor for --test-slow-rank (default 2)", DefaultValueFactory = _ => 2 };
    public Option<int?> StopRank { get; } = new("--test-stop-rank") { Description = "TEST ONLY: this rank stops itself with SIGSTOP before measuring; the others must name it and exit 3" };

    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { Fleet, Threshold, Timeout, Serial, SlowRank, SlowFactor, StopRank }) cmd.Options.Add(o);
    }

    /// <summary>Rejects fleet-only options without --fleet, and values out of range, before anything is measured.</summary>
    public void Validate(ParseResult parse)
    {
        var fleet = parse.GetValue(Fleet);
        var threshold = parse.GetValue(Threshold);
        if (!(threshold > 0 && threshold < 1)) throw new UsageException($"--fleet-threshold {threshold.ToString(CultureInfo.InvariantCulture)}: must be a fraction in (0, 1), e.g. 0.05");
        CommonOptions.Seconds(parse.GetValue(Timeout), "--fleet-timeout");
        var factor = parse.GetValue(SlowFactor);
        if (!(factor > 0 && factor < 1000)) throw new UsageException("--test-slow-factor must be in (0, 1000)");
        if (!fleet && parse.GetValue(SlowRank) is not null) throw new UsageException("--test-slow-rank needs --fleet");
        if (!fleet && parse.GetValue(Serial)) throw new UsageException("--fleet-serial needs --fleet");
        if (parse.GetValue(SlowRank) is < 0) throw new UsageException("--test-slow-rank must be a rank (>= 0)");
        if (!fleet && parse.GetValue(StopRank) is not null) throw new UsageException("--test-stop-rank needs --fleet");
        if (parse.GetValue(StopRank) is < 0) throw new UsageException("--test-stop-rank must be a rank (>= 0)");
    }

    public int Run(ParseResult parse, IReadOnlyList<ISuite> suites, SuiteRequest request, DirectoryInfo outDir)
    {
        Validate(parse);
        var stdout = parse.InvocationConfiguration.Output;
        var err = CliConsole.Error(parse);
        MpiFleetComm comm;
        try { comm = MpiFleetComm.Open(); }
        catch (FleetCommException e) { throw new UsageException(e.Message); }
        using (comm)
        {
            if (parse.GetValue(SlowRank) is { } slow && slow >= comm.Size)
                throw new UsageException($"--test-slow-rank {slow}: the job has ranks 0..{comm.Size - 1}");
            var options = new FleetOptions(parse.GetValue(Threshold), TimeSpan.FromSeconds(parse.GetValue(Timeout)), parse.GetValue(SlowRank), parse.GetValue(SlowFactor), parse.GetValue(Serial), parse.GetValue(StopRank));
            FleetOutcome outcome;
            try
            {
                outcome = new FleetRunner(comm, DeviceCatalog.AllDevices, GpuSession.TelemetrySamples)
                    .Run(suites, request, outDir.FullName, options, CliConsole.CommandLine(parse));
            }
            catch (Exception e) when (comm.Size > 1 && e is not OutOfMemoryException)
            {
                // One rank failing must end the job, not leave its peers waiting out the gather timeout.
                var code = e switch { CaseTimeoutException or FleetTimeoutException => ExitCodes.Timeout, InputException or UsageException => ExitCodes.Usage, _ => ExitCodes.Failed };
                // A stall names the stalled rank itself; anything else is this rank's own failure.
                var what = e is FleetTimeoutException ? e.Message : $"rank {comm.Rank} ({comm.Host}): {e.Message.Split('\n')[0]}";
                MpiFleetComm.AbortJob(code, $"micro run --fleet: {what}");
                throw;
            }
            if (outcome.Assembled is not { } all)
            {
                stdout.WriteLine($"rank {outcome.Rank}/{outcome.Size} ({comm.Host}): {outcome.LocalRecords.Count} points in {outcome.RankDirectory}; sent to rank 0");
                return ExitCodes.Ok;
            }
            Summarize(stdout, outcome, all);
            foreach (var f in outcome.Failures) err.WriteLine($"micro: verification failed: {f}");
            if (outcome.Failures.Count > 0) return ExitCodes.Failed;
            if (all.Records.Count == 0)
            {
                err.WriteLine("micro: nothing could be measured on any rank (see the skipped lines)");
                return ExitCodes.NothingMeasured;
            }
            return ExitCodes.Ok;
        }
    }

    private static void Summarize(TextWriter w, FleetOutcome outcome, FleetAssembler.Assembled all)
    {
        var fleet = all.Fleet;
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine($"fleet: {fleet.Ranks} ranks on {fleet.Hosts.Count} host(s) ({string.Join(", ", fleet.Hosts)}), {all.Records.Count} points");
        foreach (var s in Output.SkipSummary.Lines(outcome.Skipped).Take(50)) w.WriteLine(s);
        foreach (var c in fleet.Ceilings)
            w.WriteLine($"  {c.Name}: median {c.Median.ToString("0.###", inv)} {c.Unit}, MAD {c.Mad.ToString("0.###", inv)}, min {c.Min.ToString("0.###", inv)}, max {c.Max.ToString("0.###", inv)} over {c.Count} devices");
        if (fleet.Outliers.Count == 0) w.WriteLine($"outliers: none (threshold {fleet.Threshold.ToString("P0", inv)})");
        foreach (var o in fleet.Outliers)
            w.WriteLine($"OUTLIER rank {o.Rank} host {o.Host} device {o.Device} ({o.DeviceId ?? "no id"}): {o.Reason}"
                + (o.Ceiling is null ? "" : $" {o.Ceiling} {o.Value?.ToString("0.###", inv)} vs median {o.FleetMedian?.ToString("0.###", inv)} ({o.Deficit?.ToString("P1", inv)} worse)")
                + (o.Explanation is null ? "" : $"; {o.Explanation}"));
        w.WriteLine($"results: {outcome.ResultsPath}");
        w.WriteLine($"ceilings: {outcome.CeilingsPath}");
    }
}
