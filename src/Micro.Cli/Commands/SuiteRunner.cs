using System.CommandLine;
using System.Runtime.InteropServices;
using Micro.Cli.Output;
using Micro.Core.Results;
using Micro.Suites.Running;
using Spectre.Console;

namespace Micro.Cli.Commands;

/// <param name="Csv">Also write results.csv (needs --out).</param>
/// <param name="HostOnly">Probe and load no GPU library (`--backend host`).</param>
/// <param name="NotRun">One line naming suites left out by the selection, printed with the skips.</param>
/// <param name="BabelStreamCsv">Print BabelStream's --csv lines on stdout (the tables and summary go to stderr).</param>
/// <param name="Verbose">--verbose: tables at full width, skip lines unmerged.</param>
public sealed record RunSettings(bool Csv = false, bool HostOnly = false, string? NotRun = null, bool BabelStreamCsv = false, bool Verbose = false);

/// <summary>
/// Runs suites under a progress display, then prints the summary, skips, failures and writes the files. SIGINT and
/// SIGTERM abandon the point in progress, and what was measured is still written (ceilings.json included): exit 130/143.
/// </summary>
public static class SuiteRunner
{
    public static int Run(ParseResult parse, IReadOnlyList<ISuite> suites, SuiteRequest request, string? outDir, RunSettings? settings = null)
    {
        settings ??= new RunSettings();
        var err = CliConsole.Error(parse);
        // With BabelStream's CSV on stdout, everything a person reads goes to stderr.
        var console = settings.BabelStreamCsv ? CliConsole.On(err) : CliConsole.For(parse);
        if (settings.Verbose) console.Profile.Width = Math.Max(console.Profile.Width, CliConsole.VerboseWidth);
        if (settings.Csv && outDir is null) throw new UsageException("--csv needs --out DIR");
        using var session = new RunSession(outDir, CliConsole.CommandLine(parse), settings.HostOnly, line => err.WriteLine("micro: " + line));
        var outcomes = new List<SuiteOutcome>();
        string? interrupted = null;
        OutputException? outputError = null;
        RunInterrupt.Reset();
        // The handlers stay until the files are written: a signal after the last point still ends in ceilings.json and 130/143.
        using var deferred = SignalExit.Defer();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop("SIGINT"));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop("SIGTERM"));
        {
            try
            {
                SpectreProgress.Run(console, progress =>
                {
                    foreach (var s in suites) outcomes.Add(s.Run(request, QuickSink.For(request, session.Sink), progress));
                    return outcomes.Count;
                });
            }
            catch (RunInterruptedException e) { interrupted = e.SignalName; }
            catch (OutputException e) { outputError = e; }
        }

        ResultsTable.Write(console, session.Records);
        if (settings.NotRun is { } notRun) console.WriteLine(notRun);
        var skipped = outcomes.SelectMany(o => o.Skipped);
        foreach (var line in settings.Verbose ? skipped.Distinct() : SkipSummary.Lines(skipped)) console.WriteLine(Micro.Core.Text.ConsoleText.OneLine(line));
        if (outputError is not null)
        {
            // The disk refused a point: what is on it stays valid, nothing more is written.
            err.WriteLine($"micro: {outputError.Message}");
            return ExitCodes.Usage;
        }
        var measured = session.Records.Count > 0;
        var ceilings = measured ? session.WriteCeilings() : [];
        if (session.ResultsPath is { } results) console.WriteLine($"results: {results}");
        if (session.OutDir is { } dir && measured) console.WriteLine($"ceilings: {Path.Combine(dir, Micro.Core.Ceilings.CeilingsProfile.FileName)}");
        if (settings.Csv && measured && session.WriteCsv() is { } csvPath) console.WriteLine($"csv: {csvPath}");
        // The answer last: each ceiling with its noise and busy flags.
        if (measured) CeilingsSummary.Write(console, ceilings);
        if (settings.BabelStreamCsv) BabelStreamCsv.Write(parse.InvocationConfiguration.Output, session.Records);

        interrupted ??= RunInterrupt.Signal;
        if (interrupted is not null)
        {
            err.WriteLine($"micro: interrupted by {interrupted}: the point in progress was abandoned; {session.Records.Count} point(s) measured" +
                          (session.OutDir is not null && measured ? ", written with ceilings.json from them" : ", nothing written"));
            return interrupted == "SIGTERM" ? ExitCodes.Terminated : ExitCodes.Interrupted;
        }
        var failures = outcomes.SelectMany(o => o.Failures).ToArray();
        foreach (var f in failures) err.WriteLine($"micro: verification failed: {f}");
        if (failures.Length > 0) return ExitCodes.Failed;
        if (!measured)
        {
            err.WriteLine("micro: nothing could be measured here (every suite or backend asked for was skipped; see the lines above)");
            return ExitCodes.NothingMeasured;
        }
        return ExitCodes.Ok;
    }

    private static Action<PosixSignalContext> Stop(string signal) => ctx =>
    {
        // The first signal keeps the process alive: the runner abandons the point and the caller writes what was
        // measured. A second one ends the process at once.
        if (RunInterrupt.Signal is not null) return;
        ctx.Cancel = true;
        RunInterrupt.Request(signal);
    };
}
