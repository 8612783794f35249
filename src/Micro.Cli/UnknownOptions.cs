using System.CommandLine;
using System.CommandLine.Parsing;

namespace Micro.Cli;

/// <summary>
/// Tokens the parser could not place. A verb with a variadic file argument takes "--bogus" as a file name; <see cref="Find"/>
/// finds such a token (an argument value that looks like an option and names no file) so the error says "unknown option",
/// not "file not found". <see cref="DidYouMean"/> names the verb or option a typo most likely meant.
/// </summary>
public static class UnknownOptions
{
    public static string? Find(ParseResult parse)
    {
        foreach (var arg in parse.CommandResult.Children.OfType<ArgumentResult>())
            foreach (var token in arg.Tokens)
            {
                var v = token.Value;
                var looksLikeOption = v.Length > 1 && v[0] == '-' && (v[1] == '-' || char.IsLetter(v[1]));
                if (looksLikeOption && !File.Exists(v) && !Directory.Exists(v)) return v;
            }
        return null;
    }

    /// <summary>" Did you mean 'X'?" for the closest verb or option of the command being parsed, or "" when none is close.</summary>
    public static string DidYouMean(ParseResult parse, string token)
    {
        var command = parse.CommandResult.Command;
        // An nccl-tests flag micro collectives does not take says why, instead of a guess.
        if (command.Name == "collectives" && Commands.CollectivesCommand.NotTaken.TryGetValue(token, out var why))
            return $" micro collectives does not take nccl-tests' {token} ({why}).";
        var names = command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name))
            .Concat(command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)))
            .Where(n => n.Length > 2 || !token.StartsWith("--", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal);
        return Closest(token, names) is { } best ? $" Did you mean '{best}'?" : "";
    }

    /// <summary>The candidate within a third of the token's length in edits (at least one, at most three), closest first.</summary>
    public static string? Closest(string token, IEnumerable<string> candidates)
    {
        var limit = Math.Clamp(token.TrimStart('-').Length / 3, 1, 3);
        return candidates.Select(c => (Name: c, Distance: Distance(token, c)))
            .Where(x => x.Distance <= limit && !string.Equals(x.Name, token, StringComparison.Ordinal))
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Select(x => x.Name).FirstOrDefault();
    }

    /// <summary>Edit distance, case-insensitive, a swap of two neighbours counting one edit (optimal string alignment).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = Same(a[i - 1], b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && Same(a[i - 1], b[j - 2]) && Same(a[i - 2], b[j - 1]))
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }

    private static bool Same(char x, char y) => char.ToLowerInvariant(x) == char.ToLowerInvariant(y);
}
