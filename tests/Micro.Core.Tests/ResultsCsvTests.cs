using System.Globalization;
using Micro.Core.Results;

namespace Micro.Core.Tests;

public class ResultsCsvTests
{
    [Fact]
    public void OneRowPerPointWithTheMedianAndBestBandwidth()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("micro-csv-").FullName, "results.csv");
        var records = new[] { Records.Bandwidth("dev, with comma", "copy", 100), Records.Bandwidth("dev", "triad", 200) };
        ResultsCsv.Write(path, records);
        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        var header = lines[0].Split(',');
        Assert.Contains("bandwidth_median_gbps", header);
        Assert.Contains("bandwidth_best_gbps", header);
        Assert.Contains("\"dev, with comma\"", lines[1]);
        var gbpsIndex = Array.IndexOf(header, "bandwidth_median_gbps");
        var row2 = lines[2].Split(',');
        Assert.Equal(200, double.Parse(row2[gbpsIndex], CultureInfo.InvariantCulture), 6);
    }

    [Fact]
    public void HeadersCarryUnitsBooleansAreLowerCaseAndTimesIso8601()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("micro-csv-").FullName, "results.csv");
        var when = new DateTimeOffset(2026, 12, 6, 18, 55, 21, TimeSpan.Zero);
        ResultsCsv.Write(path, [Records.Bandwidth("dev", "copy", 100) with { Timestamp = when, Quick = true }]);
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var row = lines[1].Split(',');
        foreach (var h in new[] { "time_median_s", "time_min_s", "time_max_s", "time_p99_s", "compute_median_tflops" }) Assert.Contains(h, header);
        Assert.Equal("true", row[Array.IndexOf(header, "verification_passed")]);
        Assert.Equal("true", row[Array.IndexOf(header, "quick")]);
        Assert.Equal("2026-12-06T18:55:21.0000000+00:00", row[Array.IndexOf(header, "timestamp")]);
        Assert.Equal(when, DateTimeOffset.Parse(row[Array.IndexOf(header, "timestamp")], CultureInfo.InvariantCulture));
        Assert.DoesNotContain("True", lines[1], StringComparison.Ordinal);
    }
}
