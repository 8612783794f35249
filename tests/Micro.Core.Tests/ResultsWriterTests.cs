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
        var e = Assert.Throws<InputException>(() => ResultsReader.Read(path));
        Assert.Equal(path, e.File);
        Assert.Equal($"line {n + 1}", e.Field);
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
