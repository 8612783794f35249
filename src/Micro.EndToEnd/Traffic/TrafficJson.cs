using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Traffic;

/// <summary>
/// The traffic parts of prediction.json: a replayed point's extra keys (written only for trace replays, dropped work
/// or windows, so other points keep their pinned keys) and the `plan` section (records PointJson and PlanJson in
/// Prediction/Json). Key lists are pinned by tests.
/// </summary>
public static class TrafficJson
{
    public static readonly string[] PointKeys = ["trace", "sent", "dropped", "rejected", "busy_fraction", "prefix_cache_hit_rate", "worst_window"];
    /// <summary>A point's keys with --quality (before the traffic keys): the row's score, key and share under the floor, and the frontier.</summary>
    public static readonly string[] QualityKeys = ["quality", "quality_key", "quality_share_below_floor", "on_quality_frontier"];
    public static readonly string[] WindowKeys = ["start_s", "end_s", "completed", "windows", "window_s", "values"];
    public static readonly string[] PlanKeys = ["window_s", "period_s", "hours_per_month", "daily_profile", "hourly_share", "requests_per_month", "output_tokens_per_month", "rows", "excluded",
        "cheapest", "throughput_optimal", "monthly_cost_delta", "margin_delta_points", "useful_work"];
    public static readonly string[] RowKeys = ["label", "tp", "gpu", "weight_dtype", "replicas", "meets_slo", "one_fewer_misses", "monthly_cost", "cost_per_request",
        "cost_per_1m_output_tokens", "utilization", "gpu_hour_price", "price_source", "p95_ttft_ms", "p95_tpot_ms", "dropped", "rejected", "prefix_cache_hit_rate",
        "saturated_output_throughput", "saturated_request_rate", "throughput_replicas", "throughput_monthly_cost", "quality", "quality_share_below_floor", "below_min_quality", "on_quality_frontier", "simulations", "note", "hourly_replicas", "autoscaled_monthly_cost", "autoscaled_cost_per_request", "worst_window"];
    public static readonly string[] UsefulWorkKeys = ["traffic", "sizing", "config", "replicas", "successful", "dropped", "rejected", "p95_ttft_ms", "p95_tpot_ms",
        "cost_per_1k_successful", "meets_slo"];

    /// <summary>Whether a point carries the traffic keys.</summary>
    public static bool Applies(PredictedPoint p) => p.Load.Trace is not null || p.Windowed is not null || p.Load.TimeoutSeconds is not null || p.Load.MaxQueue is not null;
}
