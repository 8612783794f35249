using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Traffic;

/// <summary>One cell row of the useful-work matrix: a traffic shape on a sized configuration, counting only requests served.</summary>
public sealed record UsefulWorkRow(string Traffic, string Sizing, string Config, int Replicas, int Successful, int Dropped, int Rejected,
    double P95TtftMs, double P95TpotMs, double? CostPer1kSuccessful, bool MeetsSlo);

/// <summary>
/// Steady vs burst, useful work: the trace as it came (burst) and Poisson at its mean rate (steady), each on the
/// cheapest configuration sized for the SLO and on the throughput-optimal one sized for throughput alone. Cost per 1k
/// successful requests bills the replicas for the replay's duration, whatever was dropped.
/// </summary>
public static class UsefulWorkMatrix
{
    public static IReadOnlyList<UsefulWorkRow> Of(PlanRequest req, PlanRow? cheapest, PlanRow? throughputOptimal, int seed)
    {
        var burst = req.Load.Trace!;
        var steady = TraceReplay.Steady(burst, seed);
        var cases = new List<(string Traffic, RequestTrace Trace, string Sizing, PlanRow Row, int Replicas)>();
        foreach (var (name, trace) in new[] { ("steady", steady), ("burst", burst) })
        {
            if (cheapest is not null) cases.Add((name, trace, "SLO-sized", cheapest, cheapest.Replicas));
            if (throughputOptimal is not null) cases.Add((name, trace, "throughput-sized", throughputOptimal, throughputOptimal.ThroughputReplicas));
        }
        var rows = new UsefulWorkRow[cases.Count];
        Parallel.For(0, cases.Count, i =>
        {
            var (traffic, trace, sizing, row, replicas) = cases[i];
            var sim = new ServingSimulator(row.Config.Model.Decode with { Replicas = replicas }).Run(req.Load with { Trace = trace, NumPrompts = trace.Requests.Count }, req.Lengths);
            var verdict = WindowVerdict.Of(sim, req.Slos, req.WindowSeconds);
            double? cost = row.Config.DollarsPerGpuHour is { } price && sim.Completed > 0
                ? replicas * row.Config.TensorParallel * price * sim.Duration / 3600 / sim.Completed * 1000 : null;
            rows[i] = new UsefulWorkRow(traffic, sizing, row.Config.Label, replicas, sim.Completed, sim.Dropped, sim.Rejected,
                sim.Stat("ttft", "p95"), sim.Stat("tpot", "p95"), cost, verdict.Meets && sim.Dropped == 0 && sim.Rejected == 0);
        });
        return rows;
    }
}
