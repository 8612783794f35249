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
        Assert.Contains("bandwidth_median", header);
        Assert.Contains("bandwidth_best", header);
        Assert.Contains("\"dev, with comma\"", lines[1]);
        var gbpsIndex = Array.IndexOf(header, "bandwidth_median");
        var row2 = lines[2].Split(',');
        Assert.Equal(200, double.Parse(row2[gbpsIndex], CultureInfo.InvariantCulture), 6);
    }
}
