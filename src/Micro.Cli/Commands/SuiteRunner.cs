using Spectre.Console;
using System.CommandLine;
using Micro.Cli.Output;
using Micro.Suites.Running;

namespace Micro.Cli.Commands;

/// <summary>Runs suites under a progress display, then prints the summary, skips, failures and writes the files.</summary>
public static class SuiteRunner
{
    public static int Run(ParseResult parse, IReadOnlyList<ISuite> suites, SuiteRequest request, DirectoryInfo? outDir, bool writeCeilings, bool csv)
    {
        var console = CliConsole.For(parse);
        var err = CliConsole.Error(parse);
        if (csv && outDir is null) throw new UsageException("--csv needs --out DIR");
        using var session = new RunSession(outDir, CliConsole.CommandLine(parse));
        var outcomes = SpectreProgress.Run(console, progress =>
            suites.Select(s => (Suite: s, Outcome: s.Run(request, session.Sink, progress))).ToArray());

        ResultsTable.Write(console, session.Records);
        foreach (var (suite, outcome) in outcomes)
            foreach (var line in outcome.Skipped) console.WriteLine($"skipped: {line}");
        if (writeCeilings && session.Records.Count > 0) ResultsTable.WriteCeilings(console, session.WriteCeilings());
        if (session.ResultsPath is { } results) console.WriteLine($"results: {results}");
        if (writeCeilings && session.OutDir is { } dir && session.Records.Count > 0) console.WriteLine($"ceilings: {Path.Combine(dir, Micro.Core.Ceilings.CeilingsProfile.FileName)}");
        if (csv && session.WriteCsv() is { } csvPath) console.WriteLine($"csv: {csvPath}");

        var failures = outcomes.SelectMany(o => o.Outcome.Failures).ToArray();
        foreach (var f in failures) err.WriteLine($"micro: verification failed: {f}");
        if (failures.Length > 0) return ExitCodes.Failed;
        if (session.Records.Count == 0)
        {
            err.WriteLine("micro: nothing was measured (every backend was skipped; see the lines above)");
            return ExitCodes.Failed;
        }
        return ExitCodes.Ok;
    }
}
