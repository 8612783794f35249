using System.Text.Json;
using Micro.EndToEnd.Prediction;

namespace Micro.EndToEnd.Traffic;

/// <summary>
/// The traffic parts of prediction.json: a replayed point's extra keys (written only for trace replays, dropped work
/// or windows, so other points keep their pinned keys) and the `plan` section. Key lists are pinned by tests.
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

    public static void WritePointExtras(Utf8JsonWriter w, PredictedPoint p)
    {
        if (p.Quality is { } q)
        {
            Prediction.PredictionJson.Nullable(w, "quality", q.Entry?.Score);
            if (q.Entry is { } e) w.WriteString("quality_key", e.Key); else w.WriteNull("quality_key");
            Prediction.PredictionJson.Nullable(w, "quality_share_below_floor", q.Entry?.ShareBelowFloor);
            w.WriteBoolean("on_quality_frontier", q.OnFrontier);
        }
        if (!Applies(p)) return;
        var s = p.Sim;
        if (p.Load.Trace is { } t) w.WriteString("trace", t.Source); else w.WriteNull("trace");
        w.WriteNumber("sent", s.Sent);
        w.WriteNumber("dropped", s.Dropped);
        w.WriteNumber("rejected", s.Rejected);
        w.WriteNumber("busy_fraction", s.Utilization);
        Prediction.PredictionJson.Nullable(w, "prefix_cache_hit_rate", s.PrefixCacheHitRate);
        Window(w, p.Windowed);
    }

    private static void Window(Utf8JsonWriter w, WindowVerdict? v)
    {
        if (v is null) { w.WriteNull("worst_window"); return; }
        w.WriteStartObject("worst_window");
        w.WriteNumber("start_s", v.WorstStart);
        w.WriteNumber("end_s", v.WorstEnd);
        w.WriteNumber("completed", v.WorstCompleted);
        w.WriteNumber("windows", v.Windows);
        w.WriteNumber("window_s", v.WindowSeconds);
        w.WriteStartObject("values");
        foreach (var (slo, value) in v.WorstValues) w.WriteNumber($"{slo.Stat}_{slo.Metric}_ms", value);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WritePlan(Utf8JsonWriter w, PlanResult? plan)
    {
        if (plan is null) return;
        w.WriteStartObject("plan");
        w.WriteNumber("window_s", plan.Request.WindowSeconds);
        w.WriteNumber("period_s", plan.PeriodSeconds);
        w.WriteNumber("hours_per_month", plan.Request.HoursPerMonth);
        if (plan.Request.Daily is { } daily)
        {
            w.WriteString("daily_profile", daily.Source);
            w.WriteStartArray("hourly_share");
            for (var h = 0; h < DailyProfile.Hours; h++) w.WriteNumberValue(daily.Share(h));
            w.WriteEndArray();
        }
        else
        {
            w.WriteNull("daily_profile");
            w.WriteNull("hourly_share");
        }
        w.WriteNumber("requests_per_month", plan.RequestsPerMonth);
        w.WriteNumber("output_tokens_per_month", plan.OutputTokensPerMonth);
        w.WriteStartArray("rows");
        foreach (var r in plan.Rows) Row(w, r);
        w.WriteEndArray();
        w.WriteStartArray("excluded");
        foreach (var e in plan.Excluded) w.WriteStringValue(e);
        w.WriteEndArray();
        if (plan.Cheapest is { } c) w.WriteString("cheapest", c.Config.Label); else w.WriteNull("cheapest");
        if (plan.ThroughputOptimal is { } o) w.WriteString("throughput_optimal", o.Config.Label); else w.WriteNull("throughput_optimal");
        Prediction.PredictionJson.Nullable(w, "monthly_cost_delta", plan.MonthlyCostDelta);
        Prediction.PredictionJson.Nullable(w, "margin_delta_points", plan.MarginDeltaPoints);
        w.WriteStartArray("useful_work");
        foreach (var u in plan.UsefulWork)
        {
            w.WriteStartObject();
            w.WriteString("traffic", u.Traffic);
            w.WriteString("sizing", u.Sizing);
            w.WriteString("config", u.Config);
            w.WriteNumber("replicas", u.Replicas);
            w.WriteNumber("successful", u.Successful);
            w.WriteNumber("dropped", u.Dropped);
            w.WriteNumber("rejected", u.Rejected);
            w.WriteNumber("p95_ttft_ms", u.P95TtftMs);
            w.WriteNumber("p95_tpot_ms", u.P95TpotMs);
            Prediction.PredictionJson.Nullable(w, "cost_per_1k_successful", u.CostPer1kSuccessful);
            w.WriteBoolean("meets_slo", u.MeetsSlo);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Row(Utf8JsonWriter w, PlanRow r)
    {
        w.WriteStartObject();
        w.WriteString("label", r.Config.Label);
        w.WriteNumber("tp", r.Config.TensorParallel);
        w.WriteString("gpu", r.Config.Gpu);
        w.WriteString("weight_dtype", r.Config.WeightDtype);
        w.WriteNumber("replicas", r.Replicas);
        w.WriteBoolean("meets_slo", r.MeetsSlo);
        w.WriteBoolean("one_fewer_misses", r.OneFewerMisses);
        Prediction.PredictionJson.Nullable(w, "monthly_cost", r.MonthlyCost);
        Prediction.PredictionJson.Nullable(w, "cost_per_request", r.CostPerRequest);
        Prediction.PredictionJson.Nullable(w, "cost_per_1m_output_tokens", r.CostPer1MOutputTokens);
        w.WriteNumber("utilization", r.Utilization);
        Prediction.PredictionJson.Nullable(w, "gpu_hour_price", r.Config.DollarsPerGpuHour);
        w.WriteString("price_source", r.Config.PriceSource);
        w.WriteNumber("p95_ttft_ms", r.Sim.Stat("ttft", "p95"));
        w.WriteNumber("p95_tpot_ms", r.Sim.Stat("tpot", "p95"));
        w.WriteNumber("dropped", r.Sim.Dropped);
        w.WriteNumber("rejected", r.Sim.Rejected);
        Prediction.PredictionJson.Nullable(w, "prefix_cache_hit_rate", r.Sim.PrefixCacheHitRate);
        w.WriteNumber("saturated_output_throughput", r.SaturatedOutputThroughput);
        w.WriteNumber("saturated_request_rate", r.SaturatedRequestRate);
        w.WriteNumber("throughput_replicas", r.ThroughputReplicas);
        Prediction.PredictionJson.Nullable(w, "throughput_monthly_cost", r.ThroughputMonthlyCost);
        Prediction.PredictionJson.Nullable(w, "quality", r.Quality?.Score);
        Prediction.PredictionJson.Nullable(w, "quality_share_below_floor", r.Quality?.ShareBelowFloor);
        w.WriteBoolean("below_min_quality", r.BelowMinQuality);
        w.WriteBoolean("on_quality_frontier", r.OnQualityFrontier);
        w.WriteNumber("simulations", r.Simulations);
        if (r.Note is { } note) w.WriteString("note", note); else w.WriteNull("note");
        if (r.HourlyReplicas is { } hourly)
        {
            w.WriteStartArray("hourly_replicas");
            foreach (var n in hourly) w.WriteNumberValue(n);
            w.WriteEndArray();
        }
        else w.WriteNull("hourly_replicas");
        Prediction.PredictionJson.Nullable(w, "autoscaled_monthly_cost", r.AutoscaledMonthlyCost);
        Prediction.PredictionJson.Nullable(w, "autoscaled_cost_per_request", r.AutoscaledCostPerRequest);
        Window(w, r.Verdict);
        w.WriteEndObject();
    }
}
