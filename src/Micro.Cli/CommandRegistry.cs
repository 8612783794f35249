using System.CommandLine;

namespace Micro.Cli;

/// <summary>Every verb of `micro`, each built in its own file under Commands/.</summary>
public static class CommandRegistry
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("micro: measured GPU/host ceilings for LLM serving, and vLLM results against speed of light");
        // One line per verb; keep sorted.
        root.Subcommands.Add(Commands.ReportCommand.Build());
        return root;
    }
}
