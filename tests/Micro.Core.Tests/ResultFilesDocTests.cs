using System.Text;
using System.Text.RegularExpressions;
using Micro.Tests.Shared;

namespace Micro.Core.Tests;

/// <summary>docs/results.md's "Result files" section lists exactly the golden keys of each file (MICRO_UPDATE_GOLDEN=1 regenerates it).</summary>
public partial class ResultFilesDocTests
{
    public static readonly TheoryData<string> Files = new(["results.jsonl", "ceilings.json", "results.csv", "analysis.json", "points.csv"]);

    [Theory]
    [MemberData(nameof(Files))]
    public void TheResultFilesSectionListsExactlyTheGoldenKeys(string file)
    {
        var docPath = Path.Combine(TestPaths.RepoRoot, "docs", "results.md");
        var doc = File.ReadAllText(docPath);
        var golden = SchemaKeys.Read(file);
        var block = new Regex($"<!-- keys:{Regex.Escape(file)} -->\\n(.*?)<!-- /keys -->", RegexOptions.Singleline);
        if (SchemaKeys.Updating)
        {
            File.WriteAllText(docPath, block.Replace(doc, m => $"<!-- keys:{file} -->\n{Render(file, golden)}  <!-- /keys -->", 1));
            return;
        }
        var match = block.Match(doc);
        Assert.True(match.Success, $"docs/results.md has no <!-- keys:{file} --> block");
        var section = doc.IndexOf("\n## Result files", StringComparison.Ordinal);
        var next = doc.IndexOf("\n## ", section + 1, StringComparison.Ordinal);
        Assert.True(section >= 0 && match.Index > section && (next < 0 || match.Index < next), $"the {file} keys are not in the Result files section of docs/results.md");
        var listed = Backticked().Matches(match.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(golden.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    /// <summary>The keys as a wrapped, indented paragraph (CSV columns in their order, JSON keys sorted).</summary>
    private static string Render(string file, IReadOnlyList<string> keys)
    {
        var csv = file.EndsWith(".csv", StringComparison.Ordinal);
        var ordered = csv ? keys : keys.Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        var line = new StringBuilder("  " + (csv ? "Columns, in order:" : "Keys:"));
        for (var i = 0; i < ordered.Count; i++)
        {
            var word = $" `{ordered[i]}`" + (i < ordered.Count - 1 ? "," : "");
            if (line.Length + word.Length > 118) { sb.Append(line).Append('\n'); line.Clear().Append(' '); }
            line.Append(word);
        }
        sb.Append(line).Append('\n');
        return sb.ToString();
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();
}
