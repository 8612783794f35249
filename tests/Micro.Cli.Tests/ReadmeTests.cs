using System.Text.RegularExpressions;
using Micro.Tests.Shared;

namespace Micro.Cli.Tests;

/// <summary>README.md stays a newcomer's page: short, every verb in its table, and every shell example marked for scripts/check-examples.</summary>
public sealed partial class ReadmeTests
{
    private static string Readme => File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md"));

    [Fact]
    public void TheReadmeFitsOnAPage()
    {
        var lines = Readme.Split('\n').Length;
        Assert.True(lines <= 250, $"README.md has {lines} lines (at most 250: details go to docs/)");
    }

    [Fact]
    public void TheVerbsTableListsEveryVerbAndSubcommand()
    {
        var section = Readme[Readme.IndexOf("\n## The verbs", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        var listed = VerbCell().Matches(section).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var verbs = CommandRegistry.BuildRoot().Subcommands
            .SelectMany(c => new[] { c.Name }.Concat(c.Subcommands.Select(s => $"{c.Name} {s.Name}")))
            .ToList();
        Assert.NotEmpty(verbs);
        Assert.All(verbs, v => Assert.Contains(v, listed));
        Assert.All(listed, v => Assert.Contains(v, verbs));
    }

    [Fact]
    public void EveryVerbHasAnExampleInTheReadme()
    {
        var examples = string.Join('\n', ShellBlock().Matches(Readme).Select(m => m.Groups[1].Value));
        foreach (var verb in CommandRegistry.BuildRoot().Subcommands.Select(c => c.Name))
            Assert.Matches(new Regex($@"\bmicro {Regex.Escape(verb)}\b"), examples);
    }

    [Fact]
    public void EveryShellBlockInTheReadmeAndDocsIsAMarkedExample()
    {
        var files = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "docs"), "*.md").Append(Path.Combine(TestPaths.RepoRoot, "README.md"));
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
                if (lines[i] == "```sh")
                    Assert.True(i > 0 && lines[i - 1].StartsWith("<!-- example", StringComparison.Ordinal),
                        $"{Path.GetFileName(file)}:{i + 1}: a ```sh block without an <!-- example --> marker (scripts/check-examples runs them)");
        }
    }

    [GeneratedRegex(@"^\| `([a-z]+(?: [a-z]+)?)` \|", RegexOptions.Multiline)]
    private static partial Regex VerbCell();

    [GeneratedRegex(@"<!-- example[^>]*-->\n```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();
}
