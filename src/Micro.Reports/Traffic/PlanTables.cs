using System.Globalization;
using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.Traffic;
using Micro.Reports.Writers;

namespace Micro.Reports.Traffic;

/// <summary>The plan, the useful-work matrix and a replay's traffic figures as tables (console, CSV and docs share them).</summary>
public static class PlanTables
{
    private static string F(double? v, string format) => v is { } x && double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    public static Table Plan(PlanResult p)
    {
        var daily = p.Request.Daily is not null;
        List<string> header = ["configuration", "replicas", "GPUs", "meets SLO (every window)", "one fewer misses", "$/month (730 h, idle billed)", "$/request", "$/1M output tokens",
            "utilization (of saturated req/s)", "worst window", "worst-window values", "p95 TTFT ms", "p95 TPOT ms", "prefix-cache hit rate", "throughput-sized replicas", "quality"];
        if (daily) header.AddRange(["replicas by hour (0-23)", "$/month autoscaled by hour", "$/request autoscaled"]);
        return new(header, [.. p.Rows.Select(r =>
        {
            List<string> cells = [
                r.Config.Label, r.Replicas.ToString(CultureInfo.InvariantCulture), (r.Replicas * r.Config.TensorParallel).ToString(CultureInfo.InvariantCulture),
                r.MeetsSlo ? "yes" : $"no (at {r.Replicas}: {string.Join(", ", r.Verdict.Missed.DefaultIfEmpty(r.Sim.Dropped + r.Sim.Rejected > 0 ? "dropped/rejected requests" : "-"))}{(r.Note is { } n ? "; " + n : "")})",
                r.OneFewerMisses ? "yes" : "no", F(r.MonthlyCost, "#,0"), F(r.CostPerRequest, "0.000000"), F(r.CostPer1MOutputTokens, "0.00"),
                F(r.Utilization * 100, "0.#") + "%", $"{F(r.Verdict.WorstStart, "0")}-{F(r.Verdict.WorstEnd, "0")} s",
                string.Join(", ", r.Verdict.WorstValues.Select(v => $"{v.Slo.Stat} {v.Slo.Metric} {F(v.Value, "0.#")}")),
                F(r.Sim.Stat("ttft", "p95"), "0.#"), F(r.Sim.Stat("tpot", "p95"), "0.##"), r.Sim.PrefixCacheHitRate is { } h ? F(h * 100, "0.#") + "%" : "n/a",
                r.ThroughputReplicas.ToString(CultureInfo.InvariantCulture), r.Quality is { } q ? F(q.Score, "0.###") + (r.BelowMinQuality ? " (below --min-quality)" : "") + (r.OnQualityFrontier ? " (frontier)" : "") : "n/a"];
            if (daily) cells.AddRange([r.HourlyReplicas is { } hr ? string.Join(" ", hr) : "n/a", F(r.AutoscaledMonthlyCost, "#,0"), F(r.AutoscaledCostPerRequest, "0.000000")]);
            return (IReadOnlyList<string>)cells;
        })], Summary(p));
    }

    /// <summary>The plan in the report: the columns prediction.json's rows pin, narrow enough for a page (plan.csv has every column); with a daily profile, the autoscaled bill too.</summary>
    public static Table PlanReport(PlanResult p)
    {
        var daily = p.Request.Daily is not null;
        List<string> header = ["GPU", "TP", "replicas", "meets SLO", "$/month", "$/request", "$/1M output tokens", "utilization", "worst window", "quality"];
        if (daily) header.Insert(5, "$/month autoscaled by hour");
        return new(header, [.. p.Rows.Select(r =>
        {
            List<string> cells = [
                r.Config.Gpu + (r.Config.WeightDtype.Length > 0 ? " " + r.Config.WeightDtype : ""), r.Config.TensorParallel.ToString(CultureInfo.InvariantCulture),
                r.Replicas.ToString(CultureInfo.InvariantCulture), r.MeetsSlo ? "yes" : "no" + (r.Note is null ? "" : " (search stopped)"),
                F(r.MonthlyCost, "#,0"), F(r.CostPerRequest, "0.000000"), F(r.CostPer1MOutputTokens, "0.00"), F(r.Utilization * 100, "0.#") + "%",
                $"{F(r.Verdict.WorstStart, "0")}-{F(r.Verdict.WorstEnd, "0")} s: " + string.Join(", ", r.Verdict.WorstValues.Select(v => $"{v.Slo.Stat} {v.Slo.Metric} {F(v.Value, "0.#")} ms")),
                r.Quality is { } q ? F(q.Score, "0.###") + (r.BelowMinQuality ? " (below floor)" : "") + (r.OnQualityFrontier ? " (frontier)" : "") : "n/a"];
            if (daily) cells.Insert(5, F(r.AutoscaledMonthlyCost, "#,0"));
            return (IReadOnlyList<string>)cells;
        })], Summary(p) + " plan.csv and prediction.json's plan hold every column.");
    }

    public static string Summary(PlanResult p)
    {
        var s = $"traffic: {p.Request.Load.Trace?.Source} ({p.Request.Load.Trace?.Requests.Count} requests over {F(p.PeriodSeconds, "0")} s), repeated for {F(p.Request.HoursPerMonth, "0")} h a month" +
                (p.Request.Daily is { } profile ? $" (the busiest hour of the daily profile {profile.Source}; its 24 hours carry {F(p.Request.HoursPerMonth, "0")} peak hours a month)" : "") + ": " +
                $"{F(p.RequestsPerMonth, "#,0")} requests, {F(p.OutputTokensPerMonth / 1e6, "#,0")}M output tokens. SLOs judged in every {F(p.Request.WindowSeconds, "0")} s window: {string.Join(", ", p.Request.Slos.Select(x => x.Text))}. ";
        s += p.Cheapest is { } c ? $"Cheapest meeting them: {c.Config.Label} x{c.Replicas}, ${F(c.MonthlyCost, "#,0")}/month" +
            (c.HourlyReplicas is { } hr ? $" sized for the peak all month, ${F(c.AutoscaledMonthlyCost, "#,0")}/month autoscaled by hour ({hr.Min()}-{hr.Max()} replicas). " : ". ") : "No configuration meets them. ";
        if (p.ThroughputOptimal is { } o)
            s += $"Throughput-optimal sizing (no SLO, replicas = mean request rate / one replica's saturated rate): {o.Config.Label} x{o.ThroughputReplicas}, ${F(o.ThroughputMonthlyCost, "#,0")}/month. ";
        if (p.MonthlyCostDelta is { } d) s += $"Meeting the SLO costs ${F(d, "#,0")}/month more" + (p.MarginDeltaPoints is { } m ? $" ({F(m, "0.0")} gross-margin points)." : ".");
        if (p.Excluded.Count > 0) s += " Excluded: " + string.Join("; ", p.Excluded);
        return s;
    }

    public static Table UsefulWork(PlanResult p) => new(
        ["traffic", "sizing", "configuration", "replicas", "successful", "dropped", "rejected", "p95 TTFT ms", "p95 TPOT ms", "$ per 1k successful", "SLO pass"],
        [.. p.UsefulWork.Select(u => (IReadOnlyList<string>)[
            u.Traffic, u.Sizing, u.Config, u.Replicas.ToString(CultureInfo.InvariantCulture), u.Successful.ToString(CultureInfo.InvariantCulture),
            u.Dropped.ToString(CultureInfo.InvariantCulture), u.Rejected.ToString(CultureInfo.InvariantCulture), F(u.P95TtftMs, "0.#"), F(u.P95TpotMs, "0.##"),
            F(u.CostPer1kSuccessful, "0.000"), u.MeetsSlo ? "yes" : "no"])],
        "steady = the same requests arriving as a Poisson process at the trace's mean rate; burst = the trace's own arrivals. Only served requests count.");

    /// <summary>--quality on predicted points: each load's cost per 1M output tokens beside the configuration's quality row.</summary>
    public static Table? Quality(PredictionResult r)
    {
        var points = r.Points.Where(p => p.Quality is not null).ToList();
        if (points.Count == 0) return null;
        return new(["load", "$/1M output tokens", "meets SLO", "quality", "quality row", "share below floor", "on the quality-cost frontier"],
            [.. points.Select(p => (IReadOnlyList<string>)[
                p.Load.Label, F(p.CostPer1MOutputTokens, "0.00"), p.MeetsSlo is { } ok ? (ok ? "yes" : "no") : "n/a",
                F(p.Quality!.Entry?.Score, "0.###"), p.Quality.Entry?.Key ?? "no row", F(p.Quality.Entry?.ShareBelowFloor * 100, "0.#") + (p.Quality.Entry?.ShareBelowFloor is null ? "" : "%"),
                p.Quality.OnFrontier ? "yes" : "no"])],
            "the frontier: no other point meeting the SLO is both cheaper per 1M output tokens and better");
    }

    /// <summary>What a replayed point adds: sent, dropped, rejected, prefix-cache hit rate, the worst window.</summary>
    public static Table? Replays(PredictionResult r)
    {
        var points = r.Points.Where(TrafficJson.Applies).ToList();
        if (points.Count == 0) return null;
        return new(["load", "sent", "served", "dropped", "rejected", "busy (steps running)", "prefix-cache hit rate", "worst window", "worst-window values", "meets SLO"],
            [.. points.Select(p => (IReadOnlyList<string>)[
                p.Load.Label, p.Sim.Sent.ToString(CultureInfo.InvariantCulture), p.Sim.Completed.ToString(CultureInfo.InvariantCulture),
                p.Sim.Dropped.ToString(CultureInfo.InvariantCulture), p.Sim.Rejected.ToString(CultureInfo.InvariantCulture), F(p.Sim.Utilization * 100, "0.#") + "%",
                p.Sim.PrefixCacheHitRate is { } h ? F(h * 100, "0.#") + "%" : "n/a",
                p.Windowed is { } v ? $"{F(v.WorstStart, "0")}-{F(v.WorstEnd, "0")} s of {v.Windows}" : "n/a",
                p.Windowed is { } v2 ? string.Join(", ", v2.WorstValues.Select(x => $"{x.Slo.Stat} {x.Slo.Metric} {F(x.Value, "0.#")}")) : "n/a",
                p.MeetsSlo is { } ok ? (ok ? "yes" : "no") : "n/a"])],
            "served = completed before the client timeout; throughput, goodput and costs count served requests only");
    }
}
