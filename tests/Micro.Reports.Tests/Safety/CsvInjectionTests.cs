using Micro.Core.Results;
using Micro.Core.Text;
using Micro.Reports.Analysis;
using Micro.Reports.Tests.Fixtures;

namespace Micro.Reports.Tests.Safety;

/// <summary>OWASP CSV injection: text cells that a spreadsheet would run get a leading quote; numbers stay numbers.</summary>
public sealed class CsvInjectionTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("+cmd", "'+cmd")]
    [InlineData("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "'\r=1")]
    [InlineData("-1.5", "-1.5")]
    [InlineData("-3e-5", "-3e-5")]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    public void NeutralizeQuotesFormulaTextButNotNumbers(string cell, string expected) => Assert.Equal(expected, CsvText.Neutralize(cell));

    [Fact]
    public void ResultsCsvNeutralizesTextCellsAndKeepsNegativeNumbers()
    {
        using var dir = new ResultsDirectory();
        var r = RecordFactory.Make("memory", "=cmd|' /C calc'!A0", "+be", "@gpu", RecordFactory.Times(1e-3), bytes: 1 << 20, label: "-label");
        r = r with { Time = r.Time with { Min = -0.5 } };
        var path = Path.Combine(dir.Path, "results.csv");
        ResultsCsv.Write(path, [r]);
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var cells = SplitCsv(lines[1]);
        Assert.Equal("'=cmd|' /C calc'!A0", cells[Array.IndexOf(header, header.First(h => h.Equals("case", StringComparison.OrdinalIgnoreCase)))]);
        Assert.Contains("'+be", cells);
        Assert.Contains("'@gpu", cells);
        Assert.Contains("'-label", cells);
        Assert.Contains("-0.5", cells);
        Assert.DoesNotContain(cells, c => c.Length > 0 && c[0] is '=' or '+' or '@');
    }

    [Fact]
    public void PointsCsvNeutralizesTheSourceCell()
    {
        using var dir = new ResultsDirectory();
        var result = AnalysisFixtures.Result(3) with { };
        var points = result.Points.Select((p, i) => i == 0 ? p with { Source = "=HYPERLINK(\"http://evil\")" } : p).ToList();
        var path = Path.Combine(dir.Path, PointsCsv.FileName);
        PointsCsv.Write(path, result with { Points = points });
        var text = File.ReadAllText(path);
        Assert.Contains("'=HYPERLINK", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n=HYPERLINK", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK", text, StringComparison.Ordinal);
    }

    /// <summary>Enough CSV for these rows: quoted cells may hold commas and doubled quotes.</summary>
    private static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var b = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { b.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else b.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(b.ToString()); b.Clear(); }
            else b.Append(c);
        }
        cells.Add(b.ToString());
        return cells;
    }
}
