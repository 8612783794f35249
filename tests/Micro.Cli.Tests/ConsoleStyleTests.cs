using System.Text.Json;
using Micro.Cli.Output;
using Micro.Devices.Host;
using Spectre.Console;

namespace Micro.Cli.Tests;

/// <summary>
/// One console style: every line of a suite's output fits 100 columns when it is not a terminal, one point is one line,
/// each skip reason is said once, and the last lines name each ceiling with its noisy/busy/quick flags.
/// </summary>
public class ConsoleStyleTests
{
    private static IAnsiConsole Console(StringWriter w)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(w), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = CliConsole.Width;
        return console;
    }

    private static void AllFit(string output)
    {
        foreach (var line in output.Split('\n'))
            Assert.True(line.TrimEnd('\r').Length <= CliConsole.Width, $"{line.Length} columns: {line}");
    }

    [Fact]
    public void ATableOfLongCellsFitsTheWidthWithOneLinePerRowAndEllipses()
    {
        var w = new StringWriter();
        var long1 = new string('x', 80);
        var table = FittedTable.Build(Console(w), "a title " + new string('t', 150), ["case", "device", "note", "value"],
            [["copy", long1, "ceiling candidate: host_memory_bandwidth", "13.241"], ["triad", "short", long1, "9.1"]]);
        Console(w).Write(table);
        var output = w.ToString();
        AllFit(output);
        var rows = output.Split('\n').Where(l => l.TrimStart().StartsWith("copy", StringComparison.Ordinal) || l.TrimStart().StartsWith("triad", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Contains("…", r, StringComparison.Ordinal));
        Assert.Contains("13.241", rows[0], StringComparison.Ordinal);
    }

    [Fact]
    public void EachSkipReasonIsSaidOnceWithEverythingItSkipped()
    {
        const string noDriver = "no CUDA driver: not found (libcuda.so.1); set MICRO_CUDA_PATH";
        var lines = SkipSummary.Lines([$"link: {noDriver}", $"launch: {noDriver}", $"gemm: {noDriver}", "collectives: no NCCL: not found", $"attention/native: {noDriver}", $"link: {noDriver}"]);
        Assert.Equal([$"skipped link, launch, gemm, attention/native: {noDriver}", "skipped collectives: no NCCL: not found"], lines);
    }

    [Fact]
    public async Task AQuickMemoryRunFitsOneHundredColumnsAndEndsWithItsCeilingMarkedQuick()
    {
        if (HostStream.Unavailable() is { } why) Assert.Skip("host STREAM library unavailable: " + why);
        var dir = CliRun.TempDir();
        try
        {
            var (code, output, err) = await CliRun.Run("memory", "--backend", "host", "--quick", "--kernel", "copy", "--dtype", "float", "--out", dir);
            Assert.True(code == 0, err);
            AllFit(output);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
            // Two points, two rows: each "copy" row is one line.
            Assert.Equal(2, lines.Count(l => l.TrimStart().StartsWith("copy ", StringComparison.Ordinal)));
            var ceilingsAt = lines.FindIndex(l => l.Contains("ceilings of", StringComparison.Ordinal));
            Assert.True(ceilingsAt > 0, output);
            var row = Assert.Single(lines.Skip(ceilingsAt), l => l.TrimStart().StartsWith("host_memory_bandwidth", StringComparison.Ordinal));
            Assert.Contains("QUICK", row, StringComparison.Ordinal);
            Assert.Contains(CeilingsSummary.Legend.Split(';')[0], string.Join(" ", lines.Skip(ceilingsAt)).Replace("  ", " "), StringComparison.Ordinal);

            Assert.All(File.ReadAllLines(Path.Combine(dir, "results.jsonl")), l => Assert.Contains("\"quick\":true", l, StringComparison.Ordinal));
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "ceilings.json")));
            var ceiling = doc.RootElement.GetProperty("devices")[0].GetProperty("ceilings")[0];
            Assert.True(ceiling.GetProperty("quick").GetBoolean());
            Assert.Equal(ceiling.GetProperty("busy").GetBoolean(), row.Contains("busy", StringComparison.Ordinal));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task VerboseSaysEverySkipAsItsSuiteDidAndCutsNoLine()
    {
        var (quietCode, quiet, _) = await CliRun.Run("run", "--suite", "link,launch", "--quick");
        var (code, verbose, _) = await CliRun.Run("run", "--suite", "link,launch", "--quick", "--verbose");
        Assert.Equal(quietCode, code);
        // Without a GPU both suites skip for one reason: said once by default, once per suite with --verbose.
        if (!quiet.Contains("skipped link, launch: ", StringComparison.Ordinal)) Assert.Skip("link and launch did not both skip for one reason here (a GPU?)");
        AllFit(quiet);
        var lines = verbose.Split('\n').Select(l => l.TrimEnd()).ToList();
        var link = Assert.Single(lines, l => l.StartsWith("link: ", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("launch: ", StringComparison.Ordinal));
        Assert.True(link.Length > CliConsole.Width, link);
        Assert.DoesNotContain("skipped link, launch", verbose, StringComparison.Ordinal);
    }
}
