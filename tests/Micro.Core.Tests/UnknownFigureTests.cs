using System.Text.Json;
using System.Text.Json.Nodes;
using Micro.Core.Ceilings;
using Micro.Core.Context;
using Micro.Core.Results;

namespace Micro.Core.Tests;

/// <summary>
/// Issue 21, item 1: a figure that is not finite is written as null (JSON) or an empty cell (CSV), never as a "NaN" or
/// "Infinity" string; null and an older file's "NaN" read back as an unknown figure, which a reader that needs a finite
/// figure refuses with one line naming the file and the field.
/// </summary>
public class UnknownFigureTests
{
    private const string H100 = "NVIDIA H100 80GB HBM3";

    private static MeasurementRecord Unknown() => Records.Bandwidth(H100, "copy", 2000) with
    {
        Time = Records.Bandwidth(H100, "copy", 2000).Time with { Median = double.NaN, P99 = double.NaN, Cv = double.PositiveInfinity },
    };

    [Fact]
    public void NonFiniteFiguresAreWrittenAsNullAndReadBackAsUnknown()
    {
        var dir = Directory.CreateTempSubdirectory("micro-unknown-").FullName;
        var path = Path.Combine(dir, ResultsWriter.FileName);
        using (var w = new ResultsWriter(dir)) w.Write(Unknown());
        var text = File.ReadAllText(path);
        Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", text, StringComparison.Ordinal);
        var time = JsonNode.Parse(text)!["time"]!.AsObject();
        foreach (var key in new[] { "median", "p99", "cv" })
            Assert.True(time.ContainsKey(key) && time[key] is null, $"time.{key} should be written as null (the key kept), was {time[key]?.ToJsonString() ?? "absent"}");
        Assert.Equal(JsonValueKind.Number, time["mean"]!.GetValueKind());

        var back = Assert.Single(ResultsReader.Read(path));
        Assert.True(double.IsNaN(back.Time.Median));
        Assert.True(double.IsNaN(back.Time.Cv), "an infinity is written as null, so it reads back as unknown");
        Assert.Equal(Unknown().Time.Mean, back.Time.Mean);
    }

    [Fact]
    public void AnOlderFileHoldingNamedLiteralsIsStillRead()
    {
        var dir = Directory.CreateTempSubdirectory("micro-unknown-").FullName;
        var path = Path.Combine(dir, ResultsWriter.FileName);
        using (var w = new ResultsWriter(dir)) w.Write(Unknown());
        // What Micro wrote before null: the named literals as strings.
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        node["time"]!["median"] = "NaN";
        node["bandwidth"]!["worst"] = "Infinity";
        node["verification"]!["max_error"] = "Infinity";
        File.WriteAllText(path, node.ToJsonString() + "\n");
        var back = Assert.Single(ResultsReader.Read(path));
        Assert.True(double.IsNaN(back.Time.Median));
        Assert.Equal(double.PositiveInfinity, back.Bandwidth!.Worst);
        Assert.Equal(double.PositiveInfinity, back.Verification.MaxError);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("\"nan\"")]
    [InlineData("\"1.5\"")]
    public void ARequiredFigureThatIsNotFiniteIsOneLineNamingTheField(string value)
    {
        var path = Records.CeilingsFileWith(c => c["value"] = JsonNode.Parse(value));
        var e = Assert.Throws<InputException>(() => CeilingsFile.Read(path));
        Assert.Equal("devices[0].ceilings[0].value", e.Field);
        Assert.Equal(path, e.File);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain("System.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACeilingsProfileWithAnUnknownFigureIsWrittenWithNull()
    {
        var profile = new CeilingsProfile
        {
            Context = RunContext.Capture("micro run"),
            Devices = CeilingsBuilder.Build([Records.Bandwidth(H100, "triad", 3000)], []),
        };
        var c = profile.Devices[0].Ceilings[0];
        var broken = profile with { Devices = [profile.Devices[0] with { Ceilings = [c with { FractionOfDatasheet = double.PositiveInfinity }] }] };
        var text = JsonSerializer.Serialize(broken, MicroJson.Pretty);
        Assert.DoesNotContain("Infinity", text, StringComparison.Ordinal);
        Assert.Contains("\"fraction_of_datasheet\": null", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ACsvCellThatIsNotFiniteIsEmpty()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("micro-unknown-").FullName, "results.csv");
        ResultsCsv.Write(path, [Unknown() with { Bandwidth = Unknown().Bandwidth! with { Median = double.NaN } }]);
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var row = lines[1].Split(',');
        Assert.Equal(header.Length, row.Length);
        foreach (var h in new[] { "time_median_s", "time_p99_s", "time_cv", "bandwidth_median_gbps" })
            Assert.Equal("", row[Array.IndexOf(header, h)]);
        Assert.NotEqual("", row[Array.IndexOf(header, "time_min_s")]);
        Assert.DoesNotContain("NaN", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("∞", lines[1], StringComparison.Ordinal);
    }
}
