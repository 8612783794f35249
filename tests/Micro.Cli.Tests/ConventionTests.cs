using Micro.Cli.Output;
using Micro.Devices.Host;

namespace Micro.Cli.Tests;

/// <summary>Typos get a "did you mean" line; `memory --csv` without --out prints BabelStream's CSV on stdout, which `memory import` reads back.</summary>
public class ConventionTests
{
    [Theory]
    [InlineData(new[] { "colectives" }, "Did you mean 'collectives'?")]
    [InlineData(new[] { "memory", "--quik" }, "Did you mean '--quick'?")]
    [InlineData(new[] { "analyze", "--modle", "x.json" }, "unknown option '--modle' for 'analyze'. Did you mean '--model'?")]
    [InlineData(new[] { "compare", "a", "b", "--jsn" }, "Did you mean '--json'?")]
    public async Task ATypoGetsOneLineNamingWhatItMostLikelyMeant(string[] args, string expected) =>
        await CliRun.BadInput(args, expected);

    [Fact]
    public async Task NothingCloseGetsNoSuggestion()
    {
        var line = await CliRun.BadInput(["xyzzyplugh"], "xyzzyplugh");
        Assert.DoesNotContain("Did you mean", line);
    }

    [Theory]
    [InlineData("colectives", "collectives")]
    [InlineData("--warmpu", "--warmup")]
    [InlineData("--Quick", "--quick")]
    [InlineData("--modle", "--model")]
    public void TheClosestNameWithinAThirdOfTheLengthIsChosen(string typo, string meant) =>
        Assert.Equal(meant, UnknownOptions.Closest(typo, ["collectives", "compare", "--warmup", "--quick", "--width", "--model"]));

    [Fact]
    public async Task MemoryCsvWithoutOutIsBabelStreamsCsvOnStdoutAndImportsBack()
    {
        if (HostStream.Unavailable() is { } why) Assert.Skip("host STREAM library unavailable: " + why);
        var (code, output, err) = await CliRun.Run("memory", "--backend", "host", "--kernel", "copy,triad", "--dtype", "double", "--size", "48M",
            "--iterations", "2", "--warmup", "1", "--csv");
        Assert.True(code == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(BabelStreamCsv.Header, lines[0]);
        Assert.Equal(3, lines.Count);
        Assert.StartsWith("Copy,2,", lines[1]);
        Assert.StartsWith("Triad,2,", lines[2]);
        Assert.All(lines.Skip(1), l => Assert.Equal(8, l.Split(',').Length));
        // The person's view went to stderr.
        Assert.Contains("memory host on", err);

        var dir = CliRun.TempDir();
        try
        {
            var csv = Path.Combine(dir, "babelstream.csv");
            File.WriteAllText(csv, output);
            var imported = await CliRun.Run("memory", "import", csv);
            Assert.True(imported.Code == 0, imported.Err);
            Assert.Contains("2 point(s)", imported.Out);
        }
        finally { Directory.Delete(dir, true); }
    }
}
