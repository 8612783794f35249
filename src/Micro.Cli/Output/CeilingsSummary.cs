using Micro.Core.Ceilings;
using Spectre.Console;

namespace Micro.Cli.Output;

/// <summary>
/// The answer of a run, printed last: per device each ceiling with its value, its CV and whether it is noisy (CV above
/// 10% or a busy machine) or quick (a --quick smoke figure), the same flags ceilings.json carries.
/// </summary>
public static class CeilingsSummary
{
    public const string Legend =
        "noisy: CV above 10% or a busy machine, and no clean point existed; quick: from a --quick run (a smoke figure, not a ceiling to quote)";

    public static void Write(IAnsiConsole console, IReadOnlyList<DeviceCeilings> devices)
    {
        var shown = devices.Where(d => d.Ceilings.Count > 0).ToList();
        if (shown.Count == 0) { console.WriteLine("no ceilings: no verified point was a ceiling candidate"); return; }
        foreach (var d in shown)
        {
            var rows = d.Ceilings.Select(c => (IReadOnlyList<string>)
            [
                c.Name, ResultsTable.Num(c.Value), c.Unit, ResultsTable.Percent(c.Cv), Flags(c), $"{c.Suite}/{c.Case} ({c.Backend})",
                c.FractionOfDatasheet is { } f ? ResultsTable.Percent(f) + "%" : "-",
            ]);
            var table = FittedTable.Build(console, $"ceilings of {d.Device}{(d.Rank is { } r ? $" (rank {r})" : "")}",
                ["ceiling", "value", "unit", "CV %", "flags", "from", "of datasheet"], rows);
            console.Write(table);
        }
        if (shown.SelectMany(d => d.Ceilings).Any(c => c.Noisy || c.Quick)) console.Write(new Paragraph(Legend + "\n"));
    }

    /// <summary>"clean", or the words that qualify the figure: "QUICK", "noisy", "busy".</summary>
    public static string Flags(Ceiling c)
    {
        var flags = new List<string>();
        if (c.Quick) flags.Add("QUICK");
        if (c.Noisy) flags.Add("noisy");
        if (c.Busy) flags.Add("busy");
        return flags.Count == 0 ? "clean" : string.Join(" ", flags);
    }
}
