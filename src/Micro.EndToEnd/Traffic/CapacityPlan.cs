using Micro.Core.Results;
using Micro.EndToEnd.Metrics;
using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Traffic;

/// <summary>One configuration a plan sizes: a deployment of one replica (GPU type, TP, weights, scheduler limits) and its price.</summary>
public sealed record PlanConfig(ServingModel Model, string Gpu, double? DollarsPerGpuHour, string PriceSource)
{
    public int TensorParallel => Model.DecodeStep.TensorParallel;
    public string WeightDtype => Model.Setup.Weights.Quantized;
    /// <summary>The keys a quality table may list it under: the label, then "model/dtype".</summary>
    public IReadOnlyList<string> QualityKeys => QualityTable.KeysOf(Gpu, TensorParallel, Model.Setup.Model.Name, WeightDtype);
    public string Label => QualityKeys[0];
}

/// <summary>What `micro predict --plan` sizes: the traffic (a replayed trace, or a rate), the objectives, and how a month is billed.</summary>
public sealed record PlanRequest
{
    public required IReadOnlyList<PlanConfig> Configs { get; init; }
    /// <summary>The traffic of the period the plan holds through (a trace, or one made at a rate: TraceReplay.Poisson), with its timeout and queue limit.</summary>
    public required LoadShape Load { get; init; }
    public required LengthSampler Lengths { get; init; }
    public required IReadOnlyList<SloSpec> Slos { get; init; }
    /// <summary>Each objective must hold in every window of this many seconds.</summary>
    public double WindowSeconds { get; init; } = 300;
    /// <summary>Hours a month with this traffic (the period repeated); the bill is always 730 h, idle included.</summary>
    public double HoursPerMonth { get; init; } = Cost.CostModel.HoursPerMonth;
    public double? RevenuePerRequest { get; init; }
    /// <summary>--daily-profile: the trace is the busiest hour; each hour of the day is also sized, and billed at its own replicas (HoursPerMonth is then the profile's equivalent peak hours).</summary>
    public DailyProfile? Daily { get; init; }
    public QualityTable? Quality { get; init; }
    public double? MinQuality { get; init; }
    public int MaxReplicas { get; init; } = 1024;
}

/// <summary>One configuration's answer: the fewest replicas meeting every objective in every window, checked by simulating one fewer.</summary>
public sealed record PlanRow
{
    public required PlanConfig Config { get; init; }
    public required int Replicas { get; init; }
    public required bool MeetsSlo { get; init; }
    /// <summary>True when Replicas - 1 was simulated and missed (or Replicas is 1).</summary>
    public required bool OneFewerMisses { get; init; }
    public required SimulationResult Sim { get; init; }
    public required WindowVerdict Verdict { get; init; }
    /// <summary>Output tokens/s of one replica kept full (the trace's first requests all at once).</summary>
    public required double SaturatedOutputThroughput { get; init; }
    /// <summary>Requests/s of one replica kept full with the trace's own mix: what a throughput-only sizing assumes.</summary>
    public required double SaturatedRequestRate { get; init; }
    /// <summary>Replicas a throughput-only sizing buys: the trace's mean request rate over one replica's saturated rate.</summary>
    public required int ThroughputReplicas { get; init; }
    public double? MonthlyCost { get; init; }
    public double? ThroughputMonthlyCost { get; init; }
    public double? CostPerRequest { get; init; }
    public double? CostPer1MOutputTokens { get; init; }
    public QualityEntry? Quality { get; init; }
    public bool BelowMinQuality { get; init; }
    public bool OnQualityFrontier { get; init; }
    public int Simulations { get; init; }
    /// <summary>--daily-profile: the fewest replicas meeting every objective at each hour's share of the peak traffic (at least 1).</summary>
    public IReadOnlyList<int>? HourlyReplicas { get; init; }
    /// <summary>The bill when each hour runs its HourlyReplicas (autoscaled), beside MonthlyCost's peak sizing all month.</summary>
    public double? AutoscaledMonthlyCost { get; init; }
    public double? AutoscaledCostPerRequest { get; init; }
    /// <summary>Why the search stopped short of an answer (null when it found one).</summary>
    public string? Note { get; init; }
    /// <summary>Requests/s each replica serves over what it serves kept full: the share of the bought capacity used.</summary>
    public double Utilization => Replicas > 0 && SaturatedRequestRate > 0 && Sim.SendSeconds.Length > 0
        ? Sim.Completed / Math.Max(1, Sim.SendSeconds.Max()) / Replicas / SaturatedRequestRate : 0;
}

public sealed record PlanResult
{
    public required PlanRequest Request { get; init; }
    public required IReadOnlyList<PlanRow> Rows { get; init; }
    public required IReadOnlyList<string> Excluded { get; init; }
    public required double PeriodSeconds { get; init; }
    public required double RequestsPerMonth { get; init; }
    public required double OutputTokensPerMonth { get; init; }
    /// <summary>The cheapest configuration per month meeting every objective (and the quality floor).</summary>
    public PlanRow? Cheapest { get; init; }
    /// <summary>The configuration a throughput-only sizing picks (lowest monthly bill at its saturated rate, no SLO).</summary>
    public PlanRow? ThroughputOptimal { get; init; }
    /// <summary>What meeting the SLO costs a month over the throughput-optimal sizing (cheapest minus throughput-optimal).</summary>
    public double? MonthlyCostDelta { get; init; }
    /// <summary>The same as gross-margin percentage points of the monthly revenue (given --revenue-per-request).</summary>
    public double? MarginDeltaPoints { get; init; }
    /// <summary>Steady vs burst on the cheapest and the throughput-optimal configurations, useful work only.</summary>
    public IReadOnlyList<UsefulWorkRow> UsefulWork { get; init; } = [];
}

/// <summary>
/// The capacity plan: for each configuration, the fewest replicas behind the least-loaded balancer whose replay meets
/// every objective in every window with nothing dropped or rejected (a galloping then binary search from the
/// throughput bound, the answer confirmed by simulating one replica fewer); each replica billed 730 h a month, idle
/// included; the throughput-only sizing beside it and the margin delta between the two.
/// </summary>
public static class CapacityPlan
{
    public static PlanResult Run(PlanRequest req)
    {
        if (req.Configs.Count == 0) throw new InputException("--plan", null, "no configuration to size");
        var trace = req.Load.Trace ?? throw new InputException("--plan", null, "needs a trace (--workload) or a rate (--request-rate)");
        var period = Math.Max(trace.Span, 1);
        var sent = trace.Requests.Count;
        var outputTokens = trace.Requests.Sum(q => (long)Math.Max(1, q.OutputTokens));
        var requestRate = sent / period;
        var rows = new PlanRow?[req.Configs.Count];
        var excluded = new string?[req.Configs.Count];
        Parallel.For(0, req.Configs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                var row = Size(req, req.Configs[i], requestRate);
                rows[i] = req.Daily is { } daily && row.MeetsSlo ? row with { HourlyReplicas = Hourly(req, req.Configs[i], row.Replicas, daily) } : row;
            }
            catch (InputException e) { excluded[i] = $"{req.Configs[i].Label}: {e.Reason}"; }
        });
        var list = rows.OfType<PlanRow>().ToList();
        var perMonth = req.HoursPerMonth * 3600 / period;
        list = [.. list.Select(row => Priced(row, perMonth))];
        if (req.Quality is { } table)
        {
            var joined = table.Join([.. list.Select(x => new QualityCandidate(x.Config.QualityKeys, x.CostPer1MOutputTokens, x.MeetsSlo))]);
            list = [.. list.Select((x, i) => x with { Quality = joined[i].Entry, OnQualityFrontier = joined[i].OnFrontier, BelowMinQuality = req.MinQuality is { } floor && !(joined[i].Entry?.Score >= floor) })];
        }
        var cheapest = list.Where(x => x.MeetsSlo && !x.BelowMinQuality && x.MonthlyCost is not null).MinBy(x => x.MonthlyCost);
        var throughput = list.Where(x => x.ThroughputMonthlyCost is not null && !x.BelowMinQuality).MinBy(x => x.ThroughputMonthlyCost);
        double? delta = cheapest?.MonthlyCost - throughput?.ThroughputMonthlyCost;
        double? revenue = req.RevenuePerRequest * sent * perMonth;
        return new PlanResult
        {
            Request = req, Rows = list, Excluded = [.. excluded.OfType<string>()], PeriodSeconds = period,
            RequestsPerMonth = sent * perMonth, OutputTokensPerMonth = outputTokens * perMonth,
            Cheapest = cheapest, ThroughputOptimal = throughput, MonthlyCostDelta = delta,
            MarginDeltaPoints = delta is { } d && revenue is > 0 ? (d == 0 ? 0 : -d / revenue.Value * 100) : null,
            UsefulWork = UsefulWorkMatrix.Of(req, cheapest, throughput, req.Load.Seed),
        };
    }

    private static PlanRow Priced(PlanRow row, double periodsPerMonth)
    {
        if (row.Config.DollarsPerGpuHour is not { } price) return row;
        var monthly = row.Replicas * row.Config.TensorParallel * price * Cost.CostModel.HoursPerMonth;
        var served = row.Sim.Completed * periodsPerMonth;
        var tokens = row.Sim.TotalOutputTokens * periodsPerMonth;
        double? autoscaled = row.HourlyReplicas is { } hourly ? hourly.Sum() * row.Config.TensorParallel * price * Cost.CostModel.HoursPerMonth / DailyProfile.Hours : null;
        return row with
        {
            AutoscaledMonthlyCost = autoscaled, AutoscaledCostPerRequest = served > 0 ? autoscaled / served : null,
            MonthlyCost = monthly,
            ThroughputMonthlyCost = row.ThroughputReplicas * row.Config.TensorParallel * price * Cost.CostModel.HoursPerMonth,
            CostPerRequest = served > 0 ? monthly / served : null,
            CostPer1MOutputTokens = tokens > 0 ? monthly / (tokens / 1e6) : null,
        };
    }

    /// <summary>Doubling the replicas must cut the worst objective's excess by this share, or the search stops: the SLO is below what one request alone takes.</summary>
    public const double MinGainPerDoubling = 0.03;

    private static PlanRow Size(PlanRequest req, PlanConfig config, double requestRate)
    {
        var saturatedSim = config.Model.Simulate(SaturatedLoad(req), req.Lengths);
        var saturated = saturatedSim.OutputThroughput;
        var saturatedRate = saturatedSim.RequestThroughput;
        var throughputReplicas = saturatedRate > 0 ? (int)Math.Clamp(Math.Ceiling(requestRate / saturatedRate - 1e-9), 1, req.MaxReplicas) : 1;
        var memo = new Dictionary<int, (bool Ok, SimulationResult Sim, WindowVerdict Verdict)>();
        double Ratio(int replicas) => At(replicas).Verdict.WorstValues.Select(v => v.Value / v.Slo.ThresholdMs).DefaultIfEmpty(double.PositiveInfinity).Max();
        PlanRow Unmet(int replicas, string? note) => new()
        {
            Config = config, Replicas = replicas, MeetsSlo = false, OneFewerMisses = false, Sim = At(replicas).Sim, Verdict = At(replicas).Verdict,
            SaturatedOutputThroughput = saturated, SaturatedRequestRate = saturatedRate, ThroughputReplicas = throughputReplicas, Simulations = memo.Count, Note = note,
        };
        (bool Ok, SimulationResult Sim, WindowVerdict Verdict) At(int replicas)
        {
            if (memo.TryGetValue(replicas, out var hit)) return hit;
            return memo[replicas] = Meets(req, config, req.Load, replicas);
        }
        // The throughput bound is where a minimum is likely: gallop away from it, then bisect.
        var guess = Math.Min(req.MaxReplicas, throughputReplicas);
        // Without a queue limit, a rejection is a request longer than a replica's KV cache: no replica count serves it.
        if (req.Load.MaxQueue is null && At(guess).Sim.Rejected > 0)
            return Unmet(guess, $"{At(guess).Sim.Rejected} request(s) longer than one replica's KV cache");
        int lo, hi;
        if (At(guess).Ok)
        {
            hi = guess;
            lo = 0;
            for (var step = 1; hi > 1; step *= 2)
            {
                var c = Math.Max(1, hi - step);
                if (At(c).Ok) hi = c;
                else { lo = c; break; }
            }
        }
        else
        {
            lo = guess;
            hi = -1;
            for (var step = 1; lo < req.MaxReplicas; step *= 2)
            {
                var c = Math.Min(req.MaxReplicas, lo + step);
                if (At(c).Ok) { hi = c; break; }
                // Replicas help only while requests queue: once twice as many barely move the worst window, the
                // objective is below what the requests take alone (a long prompt's prefill, say).
                var half = memo.Keys.Where(k => k <= c / 2).DefaultIfEmpty(0).Max();
                if (half > 0 && At(c).Sim.Dropped + At(c).Sim.Rejected == 0 && Ratio(c) > 1 && Ratio(half) - Ratio(c) < MinGainPerDoubling * (Ratio(half) - 1))
                    return Unmet(c, $"more replicas stop helping: {half} -> {c} replicas moved the worst window by {(Ratio(half) - Ratio(c)) / Math.Max(1e-12, Ratio(half) - 1) * 100:0.#}% of its excess");
                lo = c;
            }
            if (hi < 0) return Unmet(req.MaxReplicas, $"not met at {req.MaxReplicas} replicas, the most a plan tries");
        }
        while (hi - lo > 1)
        {
            var mid = lo + (hi - lo) / 2;
            if (At(mid).Ok) hi = mid; else lo = mid;
        }
        var found = At(hi);
        return new PlanRow
        {
            Config = config, Replicas = hi, MeetsSlo = true, OneFewerMisses = hi == 1 || !At(hi - 1).Ok, Sim = found.Sim, Verdict = found.Verdict,
            SaturatedOutputThroughput = saturated, SaturatedRequestRate = saturatedRate, ThroughputReplicas = throughputReplicas, Simulations = memo.Count,
        };
    }

    /// <summary>Whether `replicas` replicas serve the load meeting every objective in every window with nothing dropped or rejected.</summary>
    private static (bool Ok, SimulationResult Sim, WindowVerdict Verdict) Meets(PlanRequest req, PlanConfig config, LoadShape load, int replicas)
    {
        var sim = new ServingSimulator(config.Model.Decode with { Replicas = replicas }).Run(load, req.Lengths);
        var verdict = WindowVerdict.Of(sim, req.Slos, req.WindowSeconds);
        return (verdict.Meets && sim.Dropped == 0 && sim.Rejected == 0, sim, verdict);
    }

    /// <summary>
    /// Replicas per hour of the day: the trace stretched to each hour's share of the peak (shares rounded up to 1%, so an
    /// hour is never sized for less than it carries), bisected below the count the next busier share needed (less
    /// traffic needs no more replicas); an idle hour keeps one replica.
    /// </summary>
    private static IReadOnlyList<int> Hourly(PlanRequest req, PlanConfig config, int peak, DailyProfile daily)
    {
        static double Level(double share) => Math.Ceiling(share * 100 - 1e-9) / 100;
        var replicas = new Dictionary<double, int>();
        var hi = peak;
        foreach (var level in Enumerable.Range(0, DailyProfile.Hours).Select(h => Level(daily.Share(h))).Distinct().OrderDescending())
        {
            if (level >= 1 || level <= 0) { replicas[level] = level >= 1 ? peak : 1; continue; }
            var load = req.Load with { Trace = new TraceReplay(1 / level).Apply(req.Load.Trace!) };
            var lo = 0;
            while (hi - lo > 1)
            {
                var mid = lo + (hi - lo) / 2;
                if (Meets(req, config, load, mid).Ok) hi = mid; else lo = mid;
            }
            replicas[level] = hi;
        }
        return [.. Enumerable.Range(0, DailyProfile.Hours).Select(h => replicas[Level(daily.Share(h))])];
    }

    /// <summary>One replica kept full: the first 1000 requests of the trace (with their lengths and hashes) all sent at once.</summary>
    private static LoadShape SaturatedLoad(PlanRequest req)
    {
        const int n = 1000;
        var t = req.Load.Trace!;
        return new LoadShape(null, null, Math.Min(n, t.Requests.Count)) { Trace = t with { Requests = [.. t.Requests.Take(n).Select(q => q with { ArrivalSeconds = 0 })] }, PrefixCaching = req.Load.PrefixCaching };
    }
}
