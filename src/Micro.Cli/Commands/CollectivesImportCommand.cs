using System.CommandLine;
using System.Globalization;
using Micro.Core.Results;
using Micro.Suites.Collectives;

namespace Micro.Cli.Commands;

/// <summary>`micro collectives import FILE`: an nccl-tests / rccl-tests log into results.jsonl, figures as printed.</summary>
public static class CollectivesImportCommand
{
    public static Command Build()
    {
        var cmd = new Command("import", "Read an nccl-tests or rccl-tests *_perf text log into Micro's result format (figures kept as printed)");
        var file = new Argument<FileInfo>("file") { Description = "nccl-tests / rccl-tests output" };
        var outDir = CommonOptions.Out();
        cmd.Arguments.Add(file);
        cmd.Options.Add(outDir);
        cmd.SetAction(parse =>
        {
            var dir = MeasureOptions.CheckedOut(parse, outDir, appendsResults: true);
            return Execute(parse.GetValue(file)!.FullName, dir, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return cmd;
    }

    public static int Execute(string path, string? outDir, TextWriter stdout, TextWriter? stderr = null)
    {
        var log = NcclTestsLogParser.Parse(path);
        var records = NcclTestsImport.ToRecords(log);
        if (outDir is not null)
        {
            using var writer = new ResultsWriter(outDir);
            writer.WriteAll(records);
        }
        var inv = CultureInfo.InvariantCulture;
        var busbw = log.Rows.SelectMany(r => new[] { r.OutOfPlace.BusBwGBps, r.InPlace.BusBwGBps }).ToList();
        stdout.WriteLine(Micro.Core.Text.ConsoleText.OneLine($"# imported {log.Rows.Count} rows ({records.Count} records) from {log.Tool} {log.Program ?? "(program not named)"}: " +
                         $"{log.NRanks?.ToString(inv) ?? "unknown"} ranks, device {log.Device ?? "unknown"}"));
        stdout.WriteLine($"# mean of the printed busbw column: {busbw.Average().ToString("0.####", inv)} GB/s; the log's Avg bus bandwidth: {log.AvgBusBw ?? "not printed"}");
        stdout.WriteLine($"# peak printed busbw: {busbw.Max().ToString("0.##", inv)} GB/s at {log.Rows.MaxBy(r => Math.Max(r.OutOfPlace.BusBwGBps, r.InPlace.BusBwGBps))!.Size} B");
        if (outDir is not null) stdout.WriteLine($"# wrote {Path.Combine(outDir, ResultsWriter.FileName)}");
        var wrong = log.Rows.Where(r => r.OutOfPlace.WrongCount > 0 || r.InPlace.WrongCount > 0).ToList();
        if (wrong.Count == 0) return ExitCodes.Ok;
        (stderr ?? Console.Error).WriteLine($"micro: {path}: line {wrong[0].Line}: #wrong is not 0 in {wrong.Count} row(s): the log's own verification failed there " +
                                            "(imported as points that failed verification; exit 1)");
        return ExitCodes.Failed;
    }
}
