using Micro.Core.Context;
using Micro.Core.Fleet;
using Micro.Core.Results;

namespace Micro.Core.Ceilings;

/// <summary>
/// The one writer of ceilings.json. Whichever verb wrote the last point, the profile is derived from the WHOLE
/// results.jsonl of the output directory by the rules of CeilingsBuilder (candidates, noisy marking, best per
/// device and ceiling), so the order in which verbs run into one folder does not change it. The run context of every
/// run that wrote into the folder is kept in <c>runs</c> (oldest first; <c>context</c> is the latest run's), and the
/// fleet section, where a fleet run wrote one, is recomputed over the derived ceilings with its members.
/// </summary>
public static class CeilingsService
{
    /// <summary>Derives DIR/ceilings.json from DIR/results.jsonl and this run's context, writes it, returns it.</summary>
    /// <param name="fleetMembers">A fleet run's members (rank, host, device, placement); null keeps an earlier fleet's.</param>
    /// <param name="note">Where a one-line note goes (a torn line found in results.jsonl).</param>
    public static CeilingsProfile Update(string outDir, RunContext run, IReadOnlyList<FleetMember>? fleetMembers = null, double? fleetThreshold = null,
        Action<string>? note = null)
    {
        var resultsPath = Path.Combine(outDir, ResultsWriter.FileName);
        var records = File.Exists(resultsPath) ? ResultsReader.Read(resultsPath, note) : [];
        var path = Path.Combine(outDir, CeilingsProfile.FileName);
        var previous = ReadPrevious(path);
        var profile = Derive(records, Runs(previous, run), fleetMembers ?? previous?.Fleet?.Members, fleetThreshold ?? previous?.Fleet?.Threshold);
        CeilingsFile.Write(path, profile);
        return profile;
    }

    /// <summary>The profile of these records: per device the chosen ceilings, the latest run as context, every run kept.</summary>
    public static CeilingsProfile Derive(IReadOnlyList<MeasurementRecord> records, IReadOnlyList<RunContext> runs, IReadOnlyList<FleetMember>? fleetMembers = null, double? fleetThreshold = null)
    {
        if (runs.Count == 0) throw new ArgumentException("a profile needs the context of at least one run", nameof(runs));
        // The latest run's description of a device wins; devices only earlier runs saw are still known.
        var devices = runs.Reverse().SelectMany(r => r.Devices).DistinctBy(d => (d.Name, d.Uuid, d.PciBusId)).ToList();
        var ceilings = CeilingsBuilder.Build(records, devices);
        var fleet = fleetMembers is null ? null : FleetAnalysis.Analyze(ceilings, fleetMembers, fleetThreshold ?? FleetAnalysis.DefaultThreshold);
        return new CeilingsProfile { Context = runs[^1], Runs = runs, Devices = ceilings, Fleet = fleet };
    }

    /// <summary>Earlier runs (a /1 profile has only its context) plus this one, which replaces an entry of the same run.</summary>
    private static IReadOnlyList<RunContext> Runs(CeilingsProfile? previous, RunContext run)
    {
        var earlier = previous is null ? [] : previous.Runs.Count > 0 ? previous.Runs : [previous.Context];
        return earlier.Where(r => !SameRun(r, run)).Append(run).ToList();
    }

    private static bool SameRun(RunContext a, RunContext b) => a.Started == b.Started && a.Host == b.Host && a.CommandLine == b.CommandLine;

    /// <summary>The profile already in the folder; an unreadable one is replaced (its ceilings are derived again from results.jsonl).</summary>
    private static CeilingsProfile? ReadPrevious(string path)
    {
        if (!File.Exists(path)) return null;
        try { return CeilingsFile.Read(path); }
        catch (InputException) { return null; }
    }
}
