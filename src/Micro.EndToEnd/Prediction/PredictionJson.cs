using System.Text.Json;

namespace Micro.EndToEnd.Prediction;

/// <summary>
/// prediction.json, schema micro.prediction/1: snake_case names with units, flat at point level (the point keys are
/// pinned by a golden list in tests). Strings that came from input files are written as JSON strings (escaped).
/// </summary>
public static class PredictionJson
{
    public const string Schema = "micro.prediction/1";

    public static byte[] Write(PredictionResult r)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, Micro.Core.Results.MicroJson.Writer(indented: true)))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("created", DateTimeOffset.UtcNow);
            w.WriteString("model", r.Model.Setup.Model.Name);
            w.WriteString("hardware", r.Model.Setup.Device.Hardware.Name);
            w.WriteString("hardware_label", r.Model.Setup.Device.Hardware.Label);
            w.WriteString("deployment", r.Model.Setup.Deployment.Describe());
            w.WriteNumber("billed_gpus", r.Model.Setup.Deployment.BilledGpus);
            w.WriteNumber("isl", r.Lengths.Isl);
            w.WriteNumber("osl", r.Lengths.Osl);
            w.WriteString("lengths_source", r.Lengths.Source);
            if (r.Request.GpuHourPrice is { } price) w.WriteNumber("gpu_hour_price", price); else w.WriteNull("gpu_hour_price");
            w.WriteString("price_source", r.Request.PriceSource);
            w.WriteStartArray("slos");
            foreach (var s in r.Request.Slos) w.WriteStringValue(s.Text);
            w.WriteEndArray();
            w.WriteStartArray("sources");
            foreach (var s in r.Sources) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteString("model_id_check", r.ModelIdCheck);
            w.WriteStartArray("parameters");
            foreach (var (spec, i) in PhysicalParameters.Specs.Select((s, i) => (s, i)))
            {
                w.WriteStartObject();
                w.WriteString("name", spec.Name);
                w.WriteNumber("value", r.Model.Parameters.Values[i]);
                w.WriteString("unit", spec.Unit);
                w.WriteNumber("canonical", r.Carried[i].Canonical);
                w.WriteString("carried", r.Carried[i].How);
                w.WriteString("prior_source", spec.PriorSource);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("parameters_from", r.ParametersFrom);
            w.WriteStartArray("transferred_across");
            foreach (var t in r.TransferredAcross) w.WriteStringValue(t);
            w.WriteEndArray();
            w.WriteStartArray("points");
            foreach (var p in r.Points) WritePoint(w, p);
            w.WriteEndArray();
            WriteCalibration(w, r);
            WriteCheck(w, r.Check);
            WriteSearch(w, r.Search);
            Traffic.TrafficJson.WritePlan(w, r.Plan);
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    /// <summary>The point keys, in order (the contract the golden test pins).</summary>
    public static readonly string[] PointKeys =
    [
        "concurrency", "request_rate", "num_prompts", "mean_ttft_ms", "median_ttft_ms", "p99_ttft_ms", "mean_tpot_ms", "median_tpot_ms", "p99_tpot_ms",
        "median_itl_ms", "p99_itl_ms", "median_e2el_ms", "p99_e2el_ms", "output_throughput", "request_throughput", "total_token_throughput",
        "output_throughput_per_gpu", "request_goodput", "cost_per_request", "cost_per_1m_output_tokens", "meets_slo", "missed_slos", "sol_fraction",
        "mean_decode_batch", "preemptions", "peak_kv_fraction", "breakdown", "interval", "ttft_parts_ms",
    ];

    /// <summary>The keys of a point's 90% interval object: each a [low, high] pair.</summary>
    public static readonly string[] IntervalKeys = ["level", "median_ttft_ms", "median_tpot_ms", "output_throughput", "cost_per_request", "cost_per_1m_output_tokens"];

    public static readonly string[] BreakdownKeys = ["weights_ms", "kv_ms", "compute_ms", "attention_ms", "collectives_ms", "overhead_ms", "step_ms"];

    private static void WritePoint(Utf8JsonWriter w, PredictedPoint p)
    {
        var s = p.Sim;
        w.WriteStartObject();
        if (p.Load.Concurrency is { } c) w.WriteNumber("concurrency", c); else w.WriteNull("concurrency");
        if (p.Load.RequestRate is { } rate) w.WriteNumber("request_rate", rate); else w.WriteString("request_rate", "inf");
        w.WriteNumber("num_prompts", p.Load.NumPrompts);
        foreach (var (metric, stat) in new[] { ("ttft", "mean"), ("ttft", "median"), ("ttft", "p99"), ("tpot", "mean"), ("tpot", "median"), ("tpot", "p99"), ("itl", "median"), ("itl", "p99"), ("e2el", "median"), ("e2el", "p99") })
            w.WriteNumber($"{stat}_{metric}_ms", s.Stat(metric, stat));
        w.WriteNumber("output_throughput", s.OutputThroughput);
        w.WriteNumber("request_throughput", s.RequestThroughput);
        w.WriteNumber("total_token_throughput", s.TotalTokenThroughput);
        w.WriteNumber("output_throughput_per_gpu", p.TokensPerGpu);
        Nullable(w, "request_goodput", p.RequestGoodput);
        Nullable(w, "cost_per_request", p.CostPerRequest);
        Nullable(w, "cost_per_1m_output_tokens", p.CostPer1MOutputTokens);
        if (p.MeetsSlo is { } ok) w.WriteBoolean("meets_slo", ok); else w.WriteNull("meets_slo");
        w.WriteStartArray("missed_slos");
        foreach (var m in p.MissedSlos) w.WriteStringValue(m);
        w.WriteEndArray();
        w.WriteNumber("sol_fraction", p.SolFraction);
        w.WriteNumber("mean_decode_batch", s.MeanDecodeBatch);
        w.WriteNumber("preemptions", s.Preemptions);
        w.WriteNumber("peak_kv_fraction", s.PeakKvFraction);
        Traffic.TrafficJson.WritePointExtras(w, p);
        var b = s.MeanStep;
        w.WriteStartObject("breakdown");
        double[] v = [b.Weights, b.Kv, b.Compute, b.Attention, b.Collectives, b.Overhead, b.Total];
        for (var i = 0; i < BreakdownKeys.Length; i++) w.WriteNumber(BreakdownKeys[i], v[i] * 1e3);
        w.WriteEndObject();
        if (p.Intervals is { } iv)
        {
            w.WriteStartObject("interval");
            w.WriteNumber("level", 0.9);
            Pair(w, "median_ttft_ms", iv.MedianTtftMs);
            Pair(w, "median_tpot_ms", iv.MedianTpotMs);
            Pair(w, "output_throughput", iv.OutputThroughput);
            Pair(w, "cost_per_request", iv.Cost(p.CostPerRequest));
            Pair(w, "cost_per_1m_output_tokens", iv.Cost(p.CostPer1MOutputTokens));
            w.WriteEndObject();
        }
        else w.WriteNull("interval");
        if (s.MeanTtftParts is { } tp)
        {
            w.WriteStartObject("ttft_parts_ms");
            w.WriteNumber("frontend", tp.FrontendMs);
            w.WriteNumber("queueing", tp.QueueingMs);
            w.WriteNumber("prefill", tp.PrefillMs);
            w.WriteEndObject();
        }
        else w.WriteNull("ttft_parts_ms");
        w.WriteEndObject();
    }

    private static void Pair(Utf8JsonWriter w, string name, (double Low, double High)? v)
    {
        if (v is not { } x || !double.IsFinite(x.Low) || !double.IsFinite(x.High)) { w.WriteNull(name); return; }
        w.WriteStartArray(name);
        w.WriteNumberValue(x.Low);
        w.WriteNumberValue(x.High);
        w.WriteEndArray();
    }

    private static void WriteDeployments(Utf8JsonWriter w, IReadOnlyList<RunDeployment> deps)
    {
        w.WriteStartArray("deployments");
        foreach (var d in deps)
        {
            w.WriteStartObject();
            w.WriteString("source", d.Source);
            w.WriteString("deployment", d.Label);
            w.WriteStartObject("parts");
            foreach (var p in d.Parts)
            {
                w.WriteStartObject(p.Key);
                w.WriteString("value", p.Value);
                w.WriteString("from", p.From);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>A number, or null where there is none or it is not finite (shared by the plan's writer).</summary>
    internal static void Nullable(Utf8JsonWriter w, string name, double? v)
    {
        if (v is { } x && double.IsFinite(x)) w.WriteNumber(name, x); else w.WriteNull(name);
    }

    private static void WriteComparison(Utf8JsonWriter w, MetricComparison c)
    {
        w.WriteStartObject();
        w.WriteString("source", c.Source);
        if (c.Concurrency is { } n) w.WriteNumber("concurrency", n); else w.WriteNull("concurrency");
        if (c.RequestRate is { } r) w.WriteNumber("request_rate", r); else w.WriteString("request_rate", "inf");
        w.WriteString("metric", c.Metric);
        w.WriteNumber("measured", c.Measured);
        w.WriteNumber("predicted", c.Predicted);
        w.WriteNumber("error_percent", c.ErrorPercent);
        if (c.Deployment is { } d) w.WriteString("deployment", d);
        if (c.Interval is not null) Pair(w, "interval", c.Interval);
        if (c.Inside is { } inside) w.WriteBoolean("inside_interval", inside);
        w.WriteEndObject();
    }

    private static void WriteCalibration(Utf8JsonWriter w, PredictionResult r)
    {
        w.WritePropertyName("calibration");
        if (r.Calibration is not { } c) { w.WriteNullValue(); return; }
        w.WriteStartObject();
        w.WriteString("priors", r.PriorNote);
        w.WriteNumber("iterations", c.Iterations);
        w.WriteNumber("rms_error_percent", c.RmsPercent);
        w.WriteStartArray("parameters");
        foreach (var p in c.Table)
        {
            w.WriteStartObject();
            w.WriteString("name", p.Name);
            w.WriteString("unit", p.Unit);
            w.WriteNumber("prior", p.Prior);
            w.WriteNumber("value", p.Value);
            w.WriteNumber("min", p.Min);
            w.WriteNumber("max", p.Max);
            w.WriteBoolean("fitted", p.Fitted);
            w.WriteString("note", p.Note);
            w.WriteString("meaning", p.Meaning);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("residuals");
        foreach (var x in c.Residuals) WriteComparison(w, x);
        w.WriteEndArray();
        WriteDeployments(w, c.Deployments);
        w.WriteEndObject();
    }

    private static void WriteCheck(Utf8JsonWriter w, CheckResult? c)
    {
        w.WritePropertyName("check");
        if (c is null) { w.WriteNullValue(); return; }
        w.WriteStartObject();
        w.WriteStartArray("rows");
        foreach (var x in c.Rows) WriteComparison(w, x);
        w.WriteEndArray();
        w.WriteStartArray("summary");
        foreach (var s in c.Summary)
        {
            w.WriteStartObject();
            w.WriteString("metric", s.Metric);
            w.WriteNumber("points", s.Points);
            w.WriteNumber("median_abs_error_percent", s.MedianAbsErrorPercent);
            w.WriteNumber("max_abs_error_percent", s.MaxAbsErrorPercent);
            w.WriteNumber("with_interval", s.WithInterval);
            w.WriteNumber("inside_interval", s.Inside);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteDeployments(w, c.Deployments);
        w.WriteEndObject();
    }

    private static void WriteSearch(Utf8JsonWriter w, SearchResult? s)
    {
        w.WritePropertyName("search");
        if (s is null) { w.WriteNullValue(); return; }
        w.WriteStartObject();
        w.WriteStartArray("rows");
        foreach (var row in s.Rows)
        {
            w.WriteStartObject();
            w.WriteString("gpu", row.Gpu);
            w.WriteNumber("tp", row.TensorParallel);
            w.WriteNumber("replicas", row.Replicas);
            w.WriteNumber("concurrency", row.Point.Load.Concurrency ?? 0);
            w.WriteNumber("output_throughput_per_gpu", row.Point.TokensPerGpu);
            w.WriteNumber("output_throughput_per_user", row.Point.TokensPerUser);
            w.WriteNumber("median_tpot_ms", row.Point.Sim.Stat("tpot", "median"));
            w.WriteNumber("p99_tpot_ms", row.Point.Sim.Stat("tpot", "p99"));
            w.WriteNumber("median_ttft_ms", row.Point.Sim.Stat("ttft", "median"));
            Nullable(w, "cost_per_request", row.Point.CostPerRequest);
            Nullable(w, "cost_per_1m_output_tokens", row.Point.CostPer1MOutputTokens);
            if (row.Point.MeetsSlo is { } ok) w.WriteBoolean("meets_slo", ok); else w.WriteNull("meets_slo");
            w.WriteBoolean("kv_limited", row.KvLimited);
            w.WriteBoolean("on_frontier", row.OnFrontier);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("excluded");
        foreach (var e in s.Excluded) w.WriteStringValue(e);
        w.WriteEndArray();
        if (s.Cheapest is { } best)
        {
            w.WriteStartObject("cheapest");
            w.WriteString("gpu", best.Gpu);
            w.WriteNumber("tp", best.TensorParallel);
            w.WriteNumber("concurrency", best.Point.Load.Concurrency ?? 0);
            Nullable(w, "cost_per_request", best.Point.CostPerRequest);
            w.WriteEndObject();
        }
        else w.WriteNull("cheapest");
        w.WriteString("binding_constraint", s.Binding);
        if (s.ServeCommand is { } sc) w.WriteString("vllm_serve", sc); else w.WriteNull("vllm_serve");
        if (s.BenchCommand is { } bc) w.WriteString("vllm_bench_serve", bc); else w.WriteNull("vllm_bench_serve");
        if (s.CheapestMeetsSloPessimistic is { } pess) w.WriteBoolean("cheapest_meets_slo_pessimistic", pess); else w.WriteNull("cheapest_meets_slo_pessimistic");
        w.WriteEndObject();
    }
}
