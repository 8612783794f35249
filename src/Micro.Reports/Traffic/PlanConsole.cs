using Micro.Core.Text;
using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.Traffic;
using Micro.Reports.Writers;

namespace Micro.Reports.Traffic;

/// <summary>The console view of a replay's traffic figures and of the plan, control characters stripped.</summary>
public static class PlanConsole
{
    public static void PrintReplays(TextWriter w, PredictionResult r)
    {
        if (PlanTables.Replays(r) is { } t) Write(w, "trace replay (useful work)", t);
        if (PlanTables.Quality(r) is { } q) Write(w, "quality beside cost", q);
    }

    public static void Print(TextWriter w, PlanResult p)
    {
        Write(w, "capacity plan", PlanTables.Plan(p));
        if (p.UsefulWork.Count > 0) Write(w, "steady vs burst, useful work", PlanTables.UsefulWork(p));
    }

    private static void Write(TextWriter w, string title, Table t)
    {
        w.WriteLine();
        w.WriteLine("== " + title);
        w.WriteLine(string.Join(" | ", t.Header));
        foreach (var row in t.Rows) w.WriteLine(string.Join(" | ", row.Select(c => ConsoleText.OneLine(c))));
        if (!string.IsNullOrEmpty(t.Note)) w.WriteLine(ConsoleText.OneLine(t.Note));
    }
}
