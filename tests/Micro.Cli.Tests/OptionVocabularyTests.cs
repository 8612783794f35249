using System.CommandLine;

namespace Micro.Cli.Tests;

/// <summary>One option vocabulary: a letter or a long name means one thing in every verb (collectives keeps nccl-tests' names).</summary>
public class OptionVocabularyTests
{
    private static IEnumerable<(string Verb, Option Option)> Options(Command c, string path)
    {
        foreach (var o in c.Options) yield return (path, o);
        foreach (var sub in c.Subcommands)
        {
            // `micro collectives` keeps nccl-tests' short and long names (its help says so); its import is ours.
            if (path == "micro" && sub.Name == "collectives")
            {
                foreach (var x in sub.Subcommands.SelectMany(s => Options(s, $"{path} collectives {s.Name}"))) yield return x;
                continue;
            }
            foreach (var x in Options(sub, $"{path} {sub.Name}")) yield return x;
        }
    }

    private static (string Verb, Option Option)[] All() =>
        Options(CommandRegistry.BuildRoot(), "micro").Where(x => !x.Option.Name.StartsWith("--help", StringComparison.Ordinal) && x.Option.Name != "--version").ToArray();

    [Fact]
    public void EachLetterAndAliasMeansOneOptionEverywhere()
    {
        var all = All();
        Assert.True(all.Length > 50, "the walk found the command tree");
        var meaning = new Dictionary<string, string>();
        foreach (var (verb, o) in all)
            foreach (var alias in o.Aliases)
            {
                if (meaning.TryGetValue(alias, out var name)) Assert.True(name == o.Name, $"{alias} is {name} in one verb and {o.Name} in {verb}");
                else meaning[alias] = o.Name;
            }
    }

    [Fact]
    public void EachLongNameHasOneLetterEverywhere()
    {
        var problems = new List<string>();
        foreach (var group in All().GroupBy(x => x.Option.Name))
        {
            var spellings = group.Select(x => string.Join(",", x.Option.Aliases.Order())).Distinct().ToArray();
            if (spellings.Length > 1) problems.Add($"{group.Key} has letters {string.Join(" / ", spellings)} in {string.Join(", ", group.Select(x => x.Verb))}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void OneMeaningHasOneSpelling()
    {
        var names = All().Select(x => x.Option.Name).ToHashSet();
        // --dtype chooses a suite's data types everywhere; the old gemm spelling is gone.
        Assert.DoesNotContain("--dtypes", names);
        Assert.Contains("--dtype", names);
        foreach (var stays in new[] { "--kv-dtype", "--weight-dtype", "--ilgpu-device", "--contexts", "--lengths", "--batch" }) Assert.Contains(stays, names);
        // Every verb that writes files spells --out alike and takes it from the one factory.
        Assert.All(All().Where(x => x.Option.Name == "--out"), x => Assert.StartsWith(CommonOptions.OutDescription, x.Option.Description));
    }

    [Fact]
    public void CollectivesHelpSaysItKeepsNcclTestsNames()
    {
        var coll = CommandRegistry.BuildRoot().Subcommands.Single(c => c.Name == "collectives");
        Assert.Contains("nccl-tests' own names and letters", coll.Description);
        Assert.Contains(coll.Options, o => o.Name == "--out" && o.Aliases.Count == 0);
    }
}
