using System.CommandLine;
using Spectre.Console;

namespace Micro.Cli.Output;

/// <summary>A Spectre console on the invocation's output (the real terminal, or a test's writer).</summary>
public static class CliConsole
{
    public static IAnsiConsole For(ParseResult parse)
    {
        var output = parse.InvocationConfiguration.Output;
        var console = ReferenceEquals(output, Console.Out)
            ? AnsiConsole.Console
            : AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(output),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
        // Logs, pipes and tests get exactly Width columns (Spectre would guess 80); a terminal keeps its own width.
        if (Console.IsOutputRedirected || !ReferenceEquals(output, Console.Out)) console.Profile.Width = Width;
        return console;
    }

    /// <summary>The width every table and summary is made to fit when the output is not a terminal.</summary>
    public const int Width = 100;

    /// <summary>The width --verbose gives tables, so that no cell is cut to fit.</summary>
    public const int VerboseWidth = 400;

    /// <summary>A plain console (no colour, no cursor control) on any writer, <see cref="Width"/> columns wide.</summary>
    public static IAnsiConsole On(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        console.Profile.Width = Width;
        return console;
    }

    public static TextWriter Error(ParseResult parse) => parse.InvocationConfiguration.Error;

    /// <summary>The command line as the user typed it (for the run context).</summary>
    public static string CommandLine(ParseResult parse) =>
        "micro " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ') ? $"\"{t.Value}\"" : t.Value));
}
