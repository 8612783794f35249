using System.CommandLine;
using System.CommandLine.Parsing;

namespace Micro.Cli;

/// <summary>
/// A verb with a variadic file argument takes "--bogus" as a file name; this finds such a token (an argument value that
/// looks like an option and names no file) so the error says "unknown option", not "file not found".
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
}
