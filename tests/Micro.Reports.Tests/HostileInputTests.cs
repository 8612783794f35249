using System.Text;
using Micro.Core.Results;
using Micro.Reports.Tests.Fixtures;
using Micro.Reports.Text;

namespace Micro.Reports.Tests;

/// <summary>Result files are untrusted: every string is escaped, sizes are bounded, bad files fail with one clear line.</summary>
public sealed class HostileInputTests
{
    private const string Script = "<script>alert('x')</script>";

    [Fact]
    public void ScriptPipesAndHugeStringsFromRecordsAreEscapedAndBounded()
    {
        using var dir = new ResultsDirectory();
        var huge = new string('A', 200_000);
        var hostileDevice = "gpu" + Script + "|x|";
        var records = RecordFactory.Memory(hostileDevice, "be|" + Script, 20, 1L << 20, maxLog2: 22)
            .Select(r => r with
            {
                Case = r.Case + "**bold** [link](javascript:alert(1)) " + Script,
                Label = huge,
                Parameters = new Dictionary<string, string>(r.Parameters) { ["note" + Script] = "a|b|c\n# heading\r\n" + huge },
            })
            .Concat(RecordFactory.Launch(hostileDevice).Select(r => r with { Backend = "<img src=x onerror=alert(1)>" }))
            .ToList();
        dir.WriteRecords(records);

        var output = ReportBuilder.Build(dir.Path);
        var html = File.ReadAllText(output.Html);
        var md = File.ReadAllText(output.Markdown);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img src=x", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", md, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("[link](javascript", md, StringComparison.Ordinal);
        Assert.Contains("\\[link\\](javascript", md, StringComparison.Ordinal); // brackets escaped: no link forms
        Assert.DoesNotContain(huge[..1000], html, StringComparison.Ordinal);
        Assert.DoesNotContain(huge[..1000], md, StringComparison.Ordinal);
        Assert.All(html.Split('\n'), line => Assert.True(line.Length < 20_000, "an HTML line is too long"));

        // Every Markdown table row keeps its column count: no pipe from the input splits a cell.
        foreach (var table in MarkdownTables(md))
        {
            var columns = UnescapedPipes(table[0]);
            Assert.All(table, row => Assert.Equal(columns, UnescapedPipes(row)));
        }
        // Hostile names in plot labels never reach the SVG as markup.
        foreach (var svg in Directory.GetFiles(output.PlotsDirectory, "*.svg"))
            Assert.DoesNotContain("<script", File.ReadAllText(svg), StringComparison.OrdinalIgnoreCase);
        Assert.All(output.Figures, f => Assert.Matches("^[a-z0-9-]+\\.png$", f.PngFile));
    }

    [Fact]
    public void EscapingFunctionsCoverTheMetacharacters()
    {
        Assert.Equal("&lt;a href=&quot;x&quot;&gt;&amp;&#39;&#96;", SafeText.Html("<a href=\"x\">&'`"));
        Assert.Equal("a\\|b \\*\\*c\\*\\* &lt;i&gt;", SafeText.Markdown("a|b **c** <i>"));
        Assert.Equal("a b c", SafeText.Bounded("a\nb\rc"));
        Assert.Equal(11, SafeText.Bounded(new string('x', 50), 10).Length);
        Assert.Equal("a-b-c", SafeText.Slug("A/../b <c>"));
        Assert.Equal("x", SafeText.Slug("../.."));
    }

    [Fact]
    public void OversizedResultsFileFailsCleanlyWithoutReadingIt()
    {
        using var dir = new ResultsDirectory();
        using (var fs = File.Create(Path.Combine(dir.Path, ResultsWriter.FileName)))
            fs.SetLength(Data.ReportInput.MaxResultsBytes + 1); // sparse: costs no disk
        var e = Assert.Throws<InputException>(() => ReportBuilder.Build(dir.Path));
        Assert.Contains(ResultsWriter.FileName, e.Message, StringComparison.Ordinal);
        Assert.Contains("limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedLineNamesFileAndLine()
    {
        using var dir = new ResultsDirectory();
        dir.WriteRecords(RecordFactory.Launch("gpu"));
        File.AppendAllText(Path.Combine(dir.Path, ResultsWriter.FileName), "{\"schema\":\"micro.result/1\",\"suite\":" + Script + "}\n");
        var e = Assert.Throws<InputException>(() => ReportBuilder.Build(dir.Path));
        Assert.Contains("line 4", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir.Path, ReportBuilder.HtmlFile)));
    }

    [Fact]
    public void RecordMissingRequiredFieldsIsRejected()
    {
        using var dir = new ResultsDirectory();
        File.WriteAllText(Path.Combine(dir.Path, ResultsWriter.FileName), "{\"schema\":\"micro.result/1\",\"suite\":\"memory\"}\n");
        var e = Assert.Throws<InputException>(() => ReportBuilder.Build(dir.Path));
        Assert.Contains("line 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadCeilingsFileAndMissingDirectoryFailCleanly()
    {
        using var dir = new ResultsDirectory();
        Assert.Throws<InputException>(() => ReportBuilder.Build(dir.Path)); // empty directory
        Assert.Throws<InputException>(() => ReportBuilder.Build(Path.Combine(dir.Path, "absent")));
        File.WriteAllText(Path.Combine(dir.Path, "ceilings.json"), "{\"schema\":\"micro.ceilings/1\",\"context\":[1,2]}");
        var e = Assert.Throws<InputException>(() => ReportBuilder.Build(dir.Path));
        Assert.Contains("ceilings.json", e.Message, StringComparison.Ordinal);
    }

    private static List<List<string>> MarkdownTables(string md)
    {
        var tables = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in md.Split('\n'))
        {
            if (line.StartsWith('|')) (current ??= []).Add(line);
            else if (current is not null) { tables.Add(current); current = null; }
        }
        if (current is not null) tables.Add(current);
        Assert.NotEmpty(tables);
        return tables;
    }

    private static int UnescapedPipes(string row)
    {
        var n = 0;
        for (var i = 0; i < row.Length; i++)
        {
            if (row[i] == '\\') { i++; continue; }
            if (row[i] == '|') n++;
        }
        return n;
    }
}
