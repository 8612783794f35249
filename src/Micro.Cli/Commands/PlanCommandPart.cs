using System.CommandLine;
using System.Globalization;
using Micro.Core.Models;
using Micro.EndToEnd.Cost;
using Micro.EndToEnd.Prediction;
using Micro.EndToEnd.SpeedOfLight;
using Micro.EndToEnd.Traffic;
using Micro.Reports.Traffic;

namespace Micro.Cli.Commands;

/// <summary>
/// `micro predict`'s traffic options: replaying a trace (--workload as a trace, --time-scale, --window, --window-s),
/// dropped work (--timeout-s, --max-queue), prefix caching, and the capacity plan (--plan and its configurations).
/// </summary>
internal sealed class TrafficOptions
{
    public readonly Option<double> TimeScale = new("--time-scale") { Description = "Replay a trace with its gaps multiplied by this (0.5 = twice as fast)", DefaultValueFactory = _ => 1 };
    public readonly Option<string?> Window = new("--window") { Description = "Replay only START,END seconds of the trace (from its first request)" };
    public readonly Option<double?> WindowSeconds = new("--window-s") { Description = "Percentiles per window of this many seconds; an SLO is judged on the worst window (--plan: default 300)" };
    public readonly Option<double?> Timeout = new("--timeout-s") { Description = "Client timeout: a request not finished this long after it was sent is dropped (counted, never served)" };
    public readonly Option<int?> MaxQueue = new("--max-queue") { Description = "Admission limit: a request meeting this many waiting in its replica's queue is rejected, as a gateway does" };
    public readonly Option<bool> NoPrefixCaching = new("--no-prefix-caching") { Description = "Turn off vLLM's automatic prefix caching (on by default; it acts where the trace carries hash_ids)" };
    public readonly Option<bool> Plan = new("--plan") { Description = "Capacity plan: per GPU x TP x weight dtype, the fewest replicas meeting every --slo in every window of the trace (or --request-rate), billed 730 h a month" };
    public readonly Option<string?> PlanTp = new("--plan-tp") { Description = "TPs the plan sizes, comma-separated (default 1,2,4,8: those the model fits)" };
    public readonly Option<string?> PlanGpus = new("--plan-gpus") { Description = "More datasheet GPUs for the plan beside --gpu/--ceilings, comma-separated (each at its built-in price)" };
    public readonly Option<string?> PlanDtypes = new("--plan-weight-dtypes") { Description = "Weight dtypes the plan compares, comma-separated (default: --weight-dtype)" };
    public readonly Option<double> HoursPerMonth = new("--hours-per-month") { Description = "Hours a month with traffic like this trace (the bill is 730 h, idle included)", DefaultValueFactory = _ => CostModel.HoursPerMonth };
    public readonly Option<string?> DailyProfile = new("--daily-profile") { Description = "CSV hour,load (24 rows): the trace is the busiest hour; each hour is sized and billed at the replicas it needs (autoscaled) beside the peak sizing" };
    public readonly Option<double?> Revenue = new("--revenue-per-request") { Description = "USD earned per request: the plan's margin delta in gross-margin points" };
    public readonly Option<string?> Quality = CommonOptions.Quality();
    public readonly Option<double?> MinQuality = new("--min-quality") { Description = "The plan's cheapest configuration must score at least this (needs --quality)" };

    public static TrafficOptions AddTo(Command cmd)
    {
        var t = new TrafficOptions();
        foreach (var o in new Option[] { t.TimeScale, t.Window, t.WindowSeconds, t.Timeout, t.MaxQueue, t.NoPrefixCaching, t.Plan, t.PlanTp, t.PlanGpus, t.PlanDtypes, t.HoursPerMonth, t.DailyProfile, t.Revenue, t.Quality, t.MinQuality })
            cmd.Options.Add(o);
        return t;
    }

    /// <summary>The trace --workload names, replayed as the options say; null when it is a vLLM result (lengths only).</summary>
    public RequestTrace? Trace(ParseResult pr, string? workload, double? rate)
    {
        if (workload is null || TraceReader.TryRead(workload) is not { } trace) return null;
        var scale = pr.GetValue(TimeScale);
        var window = pr.GetValue(Window) is { } w ? TraceReplay.ParseWindow(w) : ((double, double)?)null;
        return new TraceReplay(scale, rate, window?.Item1, window?.Item2).Apply(trace);
    }

    /// <summary>The client and engine limits every load of this command carries.</summary>
    public LoadShape Limit(ParseResult pr, LoadShape load)
    {
        var timeout = pr.GetValue(Timeout);
        if (timeout is { } t && (!(t > 0) || !double.IsFinite(t))) throw new UsageException("--timeout-s must be a positive number");
        var queue = pr.GetValue(MaxQueue);
        if (queue is < 0) throw new UsageException("--max-queue must be at least 0");
        return load with { TimeoutSeconds = timeout, MaxQueue = queue, PrefixCaching = !pr.GetValue(NoPrefixCaching) };
    }

    public double? Windows(ParseResult pr)
    {
        var w = pr.GetValue(WindowSeconds);
        if (w is { } x && (!(x > 0) || !double.IsFinite(x))) throw new UsageException("--window-s must be a positive number of seconds");
        return w ?? (pr.GetValue(Plan) ? 300 : null);
    }

    /// <summary>--plan: every GPU x TP x weight dtype sized on the traffic.</summary>
    public PlanResult RunPlan(ParseResult pr, PredictionResult prediction, IReadOnlyList<(DeviceProfile Device, double? Price, string Source)> profiles,
        string? weightDtype, LoadShape traffic)
    {
        if (prediction.Request.Slos.Count == 0) throw new UsageException("--plan needs at least one --slo (what every window must meet)");
        var setup = prediction.Model.Setup;
        if (setup.Deployment.Disaggregated) throw new UsageException("--plan sizes aggregated replicas; leave out the disaggregated pool flags");
        var all = profiles.ToList();
        foreach (var name in Split(pr.GetValue(PlanGpus)))
        {
            var d = DeviceProfile.FromDatasheet(name);
            var known = GpuPrices.Find(d.DatasheetKey) ?? GpuPrices.Find(d.Hardware.Name);
            all.Add((d, known?.DollarsPerGpuHour, known is null ? "no price" : "built-in typical price: " + known.Source));
        }
        var tps = Split(pr.GetValue(PlanTp)).Select(x => int.TryParse(x, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 1 ? v
            : throw new UsageException($"--plan-tp '{x}': expected positive integers")).ToList();
        if (tps.Count == 0) tps = [1, 2, 4, 8];
        var dtypes = Split(pr.GetValue(PlanDtypes)).ToList();
        if (dtypes.Count == 0) dtypes.Add(weightDtype ?? "");
        var configs = new List<PlanConfig>();
        var skipped = new List<string>();
        foreach (var (device, price, source) in all)
            foreach (var dtype in dtypes)
                foreach (var tp in tps)
                {
                    var s = setup with
                    {
                        Device = device, Deployment = EndToEnd.Deployment.Deployment.Aggregated(tp, tp, 1),
                        Weights = WeightFormat.For(setup.Model, dtype.Length == 0 ? null : dtype),
                        Scheduler = setup.Scheduler,
                    };
                    try { configs.Add(new PlanConfig(new ServingModel(s, prediction.Model.Parameters), device.Hardware.Name, price, source)); }
                    catch (Core.Results.InputException e) { skipped.Add($"{device.Hardware.Name} TP{tp} {(dtype.Length == 0 ? "" : dtype + " ")}: {e.Reason}"); }
                }
        if (configs.Count == 0) throw new UsageException("--plan: no configuration fits (" + string.Join("; ", skipped.Take(4)) + ")");
        var quality = QualityTableOf(pr);
        var min = pr.GetValue(MinQuality);
        if (min is not null && quality is null) throw new UsageException("--min-quality needs --quality FILE");
        var hours = pr.GetValue(HoursPerMonth);
        if (!(hours > 0) || hours > CostModel.HoursPerMonth) throw new UsageException($"--hours-per-month must be in (0, {CostModel.HoursPerMonth}]");
        var daily = pr.GetValue(DailyProfile) is { } profile ? EndToEnd.Traffic.DailyProfile.Read(profile) : null;
        if (daily is not null && CommonOptions.Given(pr, HoursPerMonth))
            throw new UsageException("give --hours-per-month or --daily-profile, not both (the profile sets the month's hours at peak traffic)");
        var result = CapacityPlan.Run(new PlanRequest
        {
            Configs = configs, Load = traffic, Lengths = prediction.Lengths, Slos = prediction.Request.Slos, WindowSeconds = Windows(pr) ?? 300,
            HoursPerMonth = daily?.EquivalentPeakHours ?? hours, Daily = daily, RevenuePerRequest = pr.GetValue(Revenue), Quality = quality, MinQuality = min,
        });
        return result with { Excluded = [.. skipped, .. result.Excluded] };
    }

    /// <summary>The --quality table, read once per command (null without one).</summary>
    public QualityTable? QualityTableOf(ParseResult pr) => pr.GetValue(Quality) is { } q ? _quality ??= QualityTable.Read(q) : null;

    private QualityTable? _quality;

    private static IEnumerable<string> Split(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
