using System.CommandLine;

namespace Micro.Cli;

/// <summary>Options shared by every verb, so each spells them the same way.</summary>
public static class CommonOptions
{
    public static Option<DirectoryInfo?> Out() => new("--out", "-o") { Description = "Directory for results.jsonl, ceilings.json and reports (created if missing)" };
    public static Option<bool> Quick() => new("--quick") { Description = "Small sizes and few iterations: a smoke run, not a ceiling" };
    public static Option<int?> Iterations() => new("--iterations", "-n") { Description = "Timed iterations per point" };
    public static Option<int?> Warmup() => new("--warmup", "-w") { Description = "Untimed warm-up iterations per point" };
}
