using System.CommandLine;

namespace Micro.Cli;

/// <summary>Every verb of `micro`, each built in its own file under Commands/.</summary>
public static class CommandRegistry
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("micro: measured GPU/host ceilings for LLM serving, and vLLM results against speed of light");
        // One line per verb; keep sorted.
        root.Subcommands.Add(Commands.AnalyzeCommand.Build());
        root.Subcommands.Add(Commands.AttentionCommand.Build());
        root.Subcommands.Add(Commands.CollectivesCommand.Build());
        root.Subcommands.Add(Commands.CompareCommand.Build());
        root.Subcommands.Add(Commands.DevicesCommand.Build());
        root.Subcommands.Add(Commands.GemmCommand.Build());
        root.Subcommands.Add(Commands.LaunchCommand.Build());
        root.Subcommands.Add(Commands.LinkCommand.Build());
        root.Subcommands.Add(Commands.MemoryCommand.Build());
        root.Subcommands.Add(Commands.PredictCommand.Build());
        root.Subcommands.Add(Commands.ReportCommand.Build());
        root.Subcommands.Add(Commands.RunCommand.Build());
        return root;
    }
}
