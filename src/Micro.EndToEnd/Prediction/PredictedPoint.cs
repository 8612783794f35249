using Micro.EndToEnd.Metrics;

namespace Micro.EndToEnd.Prediction;

/// <summary>90% intervals (low, high) of a point's median TPOT and TTFT (ms) and output throughput (tok/s); cost per request
/// and per token scale inversely with throughput, so their interval is the point's cost x exp(+-CostLogHalfWidth).</summary>
public sealed record PointIntervals((double Low, double High) MedianTpotMs, (double Low, double High) MedianTtftMs, (double Low, double High) OutputThroughput, double CostLogHalfWidth)
{
    public (double Low, double High)? Cost(double? value) => value is { } v ? (v * Math.Exp(-CostLogHalfWidth), v * Math.Exp(CostLogHalfWidth)) : null;
}

/// <summary>One predicted operating point with its cost, SLO verdict and speed-of-light fraction.</summary>
public sealed record PredictedPoint
{
    public required LoadShape Load { get; init; }
    public required SimulationResult Sim { get; init; }
    public required int BilledGpus { get; init; }
    public double? CostPerRequest { get; init; }
    public double? CostPer1MOutputTokens { get; init; }
    public bool? MeetsSlo { get; init; }
    public IReadOnlyList<string> MissedSlos { get; init; } = [];
    public double? RequestGoodput { get; init; }
    /// <summary>The verdict window by window (--window-s): MeetsSlo and MissedSlos are then this one's.</summary>
    public Traffic.WindowVerdict? Windowed { get; init; }
    /// <summary>Speed-of-light decode step at the mean batch and context over the predicted mean step.</summary>
    public required double SolFraction { get; init; }
    /// <summary>--quality: the quality table's row for this configuration and the point's place on the quality vs cost frontier; null without a table.</summary>
    public Traffic.QualityMatch? Quality { get; init; }
    /// <summary>The point's 90% intervals, or null where none was computed.</summary>
    public PointIntervals? Intervals { get; init; }

    public double TokensPerGpu => Sim.OutputThroughput / BilledGpus;
    public double TokensPerUser => Sim.Stat("tpot", "median") is > 0 and var t ? 1000 / t : 0;

    public static PredictedPoint Of(ServingModel model, LoadShape load, SimulationResult sim, IReadOnlyList<SloSpec> slos, double? dollarsPerGpuHour, double meanContext, double? windowSeconds = null)
    {
        var gpus = model.Setup.Deployment.BilledGpus;
        double? perHour = dollarsPerGpuHour * gpus;
        var windowed = windowSeconds is { } ws && slos.Count > 0 ? Traffic.WindowVerdict.Of(sim, slos, ws) : null;
        var missed = windowed?.Missed ?? SloJudge.Missed(slos, sim.Stat);
        double? goodput = null;
        if (slos.Count > 0 && slos.All(s => s.Metric != "itl"))
        {
            var good = 0;
            for (var i = 0; i < sim.TtftMs.Length; i++)
                if (slos.All(s => (s.Metric switch { "ttft" => sim.TtftMs[i], "tpot" => sim.TpotPerRequestMs[i], _ => sim.E2elMs[i] }) <= s.ThresholdMs)) good++;
            goodput = good / sim.Duration;
        }
        var batch = Math.Max(1, (int)Math.Round(sim.MeanDecodeBatch));
        var sol = model.SpeedOfLight.Decode(batch, meanContext).StepSeconds;
        var step = sim.MeanStep.Total;
        return new PredictedPoint
        {
            Load = load, Sim = sim, BilledGpus = gpus,
            CostPerRequest = perHour is { } h ? Cost.CostModel.PerRequest(h, sim.RequestThroughput) : null,
            CostPer1MOutputTokens = perHour is { } h2 ? Cost.CostModel.Per1MTokens(h2, sim.OutputThroughput) : null,
            MeetsSlo = slos.Count == 0 ? null : missed.Count == 0, MissedSlos = missed, RequestGoodput = goodput, Windowed = windowed,
            SolFraction = step > 0 ? sol / step : 0,
        };
    }
}
