using System.Text.Json;
using Micro.Core.Results;

namespace Micro.Core.Tests;

public class ResultsWriterTests
{
    [Fact]
    public void CrashAfterNPointsLeavesNValidLinesAndTheReaderNamesTheTornOne()
    {
        var dir = Directory.CreateTempSubdirectory("micro-writer-").FullName;
        const int n = 5;
        using (var w = new ResultsWriter(dir))
            for (var i = 0; i < n; i++) w.Write(Records.Bandwidth("dev", $"case{i}", 100 + i));
        var path = Path.Combine(dir, ResultsWriter.FileName);
        // A crash mid-write of point N+1: half a JSON line, no newline.
        var torn = JsonSerializer.Serialize(Records.Bandwidth("dev", "torn", 1), MicroJson.Line);
        File.AppendAllText(path, torn[..(torn.Length / 2)]);

        var lines = File.ReadAllLines(path);
        Assert.Equal(n + 1, lines.Length);
        for (var i = 0; i < n; i++)
        {
            var r = JsonSerializer.Deserialize<MeasurementRecord>(lines[i], MicroJson.Line)!;
            Assert.Equal($"case{i}", r.Case);
            Assert.Equal(100 + i, r.Bandwidth!.Median, 6);
        }
        // The reader skips the torn last line and says which it was, instead of refusing the file.
        var notes = new List<string>();
        Assert.Equal(n, ResultsReader.Read(path, notes.Add).Count);
        Assert.Contains($"line {n + 1}: torn line skipped", Assert.Single(notes));

        // Appending again starts on a fresh line and says a torn line was found.
        using (var w = new ResultsWriter(dir))
        {
            Assert.Contains("last line was torn", w.TornLineNote);
            w.Write(Records.Bandwidth("dev", "after", 7));
        }
        Assert.Equal(n + 2, File.ReadAllLines(path).Length);
        Assert.Equal(n + 1, ResultsReader.Read(path, notes.Add).Count);
        Assert.Equal(2, notes.Count);
        // A line that is not the start of a record is still an error naming it.
        File.AppendAllText(path, "not json\n");
        var e = Assert.Throws<InputException>(() => ResultsReader.Read(path, notes.Add));
        Assert.Equal($"line {n + 3}", e.Field);
    }

    [Fact]
    public void AFullDiskIsAnOutputErrorNamingTheFileAndEarlierPointsStay()
    {
        if (!File.Exists("/dev/full")) Assert.Skip("no /dev/full on this system");
        var dir = Directory.CreateTempSubdirectory("micro-writer-").FullName;
        // A results.jsonl linked to /dev/full is refused as a link before any write (issue 21); a real full disk is
        // tests/Micro.Cli.Tests OutputLocationTests.AFullDiskIsExit2NamingResultsJsonl (a filled tmpfs).
        File.CreateSymbolicLink(Path.Combine(dir, ResultsWriter.FileName), "/dev/full");
        var e = Assert.Throws<OutputException>(() => new ResultsWriter(dir));
        Assert.Contains(ResultsWriter.FileName, e.Path);
        Assert.Contains("symbolic link", e.Reason);
    }

    [Theory]
    [InlineData("file")]
    [InlineData("under-file")]
    [InlineData("proc")]
    public void AnUnusableOutputDirectoryIsOneErrorNamingThePath(string kind)
    {
        var dir = Directory.CreateTempSubdirectory("micro-out-").FullName;
        var file = Path.Combine(dir, "f");
        File.WriteAllText(file, "x");
        var (path, reason) = kind switch
        {
            "file" => (file, "is a file"),
            "under-file" => (Path.Combine(file, "sub"), "is a file"),
            _ => ("/proc/micro-out-test", "cannot create files there"),
        };
        var e = Assert.Throws<OutputException>(() => OutputDirectory.Check(path));
        Assert.StartsWith("--out " + path, e.Path);
        Assert.Contains(reason, e.Reason);
    }

    [Fact]
    public void ACheckedNewDirectoryIsNotCreatedByTheCheck()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("micro-out-").FullName, "a", "b");
        Assert.Equal(dir, OutputDirectory.Check(dir));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void EachPointIsOnDiskBeforeTheNextIsWritten()
    {
        var dir = Directory.CreateTempSubdirectory("micro-writer-").FullName;
        using var w = new ResultsWriter(dir);
        for (var i = 1; i <= 3; i++)
        {
            w.Write(Records.Bandwidth("dev", $"c{i}", 10));
            // Read through a separate handle while the writer is still open.
            using var fs = new FileStream(w.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(fs);
            var text = reader.ReadToEnd();
            Assert.Equal(i, text.Count(c => c == '\n'));
            Assert.EndsWith("\n", text);
        }
    }

    [Fact]
    public void RoundTripsThroughTheReader()
    {
        var dir = Directory.CreateTempSubdirectory("micro-writer-").FullName;
        using (var w = new ResultsWriter(dir))
        {
            w.Write(Records.Bandwidth("A", "copy", 50));
            w.Write(Records.Bandwidth("B", "triad", 60, passed: false));
        }
        var read = ResultsReader.Read(Path.Combine(dir, ResultsWriter.FileName));
        Assert.Equal(["copy", "triad"], read.Select(r => r.Case));
        Assert.False(read[1].Verification.Passed);
        Assert.Equal(1, read[1].Verification.Wrong);
    }
}
