using Micro.Core.Text;
using Micro.EndToEnd.Traffic;
using Micro.Reports.Data;
using Micro.Reports.Plots;
using Micro.Reports.Writers;

namespace Micro.Reports.Traffic;

/// <summary>Writes the plan beside prediction.json: plan.csv and useful-work.csv (report.html and report.md carry the plan's table and its cost vs p95 plot).</summary>
public static class PlanOutput
{
    public static IReadOnlyList<string> WriteAll(PlanResult p, string dir)
    {
        Directory.CreateDirectory(dir);
        var files = new List<string> { Csv(PlanTables.Plan(p), Path.Combine(dir, "plan.csv")) };
        if (p.UsefulWork.Count > 0) files.Add(Csv(PlanTables.UsefulWork(p), Path.Combine(dir, "useful-work.csv")));
        return files;
    }

    /// <summary>Monthly cost against the worst window's p95 TTFT, one marker per configuration at its planned replicas.</summary>
    public static LineChart CostVsP95(PlanResult p)
    {
        var rows = p.Rows.Where(r => r.MonthlyCost is not null).ToList();
        var series = rows.GroupBy(r => r.Config.Gpu).Select(g => new ChartSeries(g.Key,
            [.. g.Select(r => new ChartPoint(WorstTtft(r), r.MonthlyCost!.Value))], Line: false,
            PointLabels: [.. g.Select(r => $"TP{r.Config.TensorParallel} x{r.Replicas}{(r.MeetsSlo ? "" : " (misses)")}")])).ToList();
        var ttft = p.Request.Slos.FirstOrDefault(s => s.Metric == "ttft");
        return new LineChart("plan-cost-vs-p95", "Capacity plan: monthly cost vs worst-window TTFT",
            "Each configuration at the fewest replicas meeting every SLO in every window; the monthly bill counts 730 h, idle included.",
            new Axis("worst-window TTFT (ms, the SLO's statistic)"), new Axis("$ per month"), series,
            ttft is null ? [] : [new RefLine(ttft.Text, ttft.ThresholdMs, true)]);
    }

    private static double WorstTtft(PlanRow r) =>
        r.Verdict.WorstValues.Where(v => v.Slo.Metric == "ttft").Select(v => v.Value).DefaultIfEmpty(r.Sim.Stat("ttft", "p95")).Max();

    private static string Csv(Table t, string path)
    {
        using var w = new StreamWriter(path);
        w.WriteLine(string.Join(",", t.Header.Select(Cell)));
        foreach (var row in t.Rows) w.WriteLine(string.Join(",", row.Select(Cell)));
        return path;
    }

    private static string Cell(string s)
    {
        var c = CsvText.Neutralize(s) ?? "";
        return c.Contains(',') || c.Contains('"') ? "\"" + c.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : c;
    }
}
