using System.Globalization;
using Micro.Core.Results;

namespace Micro.EndToEnd.Traffic;

/// <summary>
/// How a trace is replayed: cut to a window of its own time (seconds from its start, before any scaling), then its
/// gaps multiplied by TimeScale, or rescaled so the mean rate is RequestRate (not both).
/// </summary>
public sealed record TraceReplay(double TimeScale = 1, double? RequestRate = null, double? WindowStart = null, double? WindowEnd = null)
{
    public RequestTrace Apply(RequestTrace trace)
    {
        if (!(TimeScale > 0) || !double.IsFinite(TimeScale)) throw new InputException("--time-scale", TimeScale.ToString(CultureInfo.InvariantCulture), "must be a positive number");
        if (RequestRate is { } r0 && (!(r0 > 0) || !double.IsFinite(r0))) throw new InputException("--request-rate", r0.ToString(CultureInfo.InvariantCulture), "must be a positive number");
        if (RequestRate is not null && TimeScale != 1) throw new InputException("--time-scale", TimeScale.ToString(CultureInfo.InvariantCulture), "give --time-scale or --request-rate with a trace, not both");
        IReadOnlyList<TraceRequest> list = trace.Requests;
        if (WindowStart is not null || WindowEnd is not null)
        {
            var start = WindowStart ?? 0;
            var end = WindowEnd ?? double.PositiveInfinity;
            list = list.Where(q => q.ArrivalSeconds >= start && q.ArrivalSeconds < end).ToList();
            if (list.Count == 0)
                throw new InputException("--window", $"{start.ToString(CultureInfo.InvariantCulture)},{end.ToString(CultureInfo.InvariantCulture)}",
                    $"holds no request of {trace.Source} (its requests arrive from 0 to {trace.Span.ToString("0.###", CultureInfo.InvariantCulture)} s)");
        }
        var cut = trace with { Requests = list };
        var scale = TimeScale;
        if (RequestRate is { } rate)
        {
            if (cut.Span <= 0) throw new InputException("--request-rate", rate.ToString(CultureInfo.InvariantCulture), "cannot rescale a trace whose requests all arrive at one instant");
            scale = cut.MeanRate / rate;
        }
        var t0 = list[0].ArrivalSeconds;
        if (scale == 1 && t0 == 0) return cut;
        return cut with { Requests = list.Select(q => q with { ArrivalSeconds = (q.ArrivalSeconds - t0) * scale }).ToArray() };
    }

    /// <summary>"START,END" in seconds from the trace's start.</summary>
    public static (double Start, double End) ParseWindow(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var b)
            && double.IsFinite(a) && double.IsFinite(b) && a >= 0 && b > a)
            return (a, b);
        throw new InputException("--window", text, "expected START,END in seconds from the trace's start, 0 <= START < END");
    }

    /// <summary>
    /// The steady version of a trace: the same requests (lengths and hashes) in the same order, arriving as a Poisson
    /// process at the trace's mean rate.
    /// </summary>
    public static RequestTrace Steady(RequestTrace trace, int seed)
    {
        var rng = new Random(seed);
        var rate = trace.MeanRate;
        var t = 0.0;
        var list = new TraceRequest[trace.Requests.Count];
        for (var i = 0; i < list.Length; i++)
        {
            if (i > 0) t += -Math.Log(1 - rng.NextDouble()) / rate;
            list[i] = trace.Requests[i] with { ArrivalSeconds = t };
        }
        return trace with { Requests = list, Source = trace.Source + " (steady: Poisson at its mean rate)" };
    }

    /// <summary>A trace of n requests arriving as a Poisson process at `rate`, their lengths drawn as the simulator draws them.</summary>
    public static RequestTrace Poisson(double rate, int n, Prediction.LengthSampler lengths, int seed)
    {
        if (!(rate > 0) || !double.IsFinite(rate)) throw new InputException("--request-rate", rate.ToString(CultureInfo.InvariantCulture), "must be a positive number");
        if (n is < 1 or > TraceReader.MaxRequests) throw new InputException("--num-prompts", n.ToString(CultureInfo.InvariantCulture), $"must be from 1 to {TraceReader.MaxRequests}");
        var rng = new Random(seed);
        var list = new TraceRequest[n];
        var t = 0.0;
        for (var i = 0; i < n; i++)
        {
            var (isl, osl) = lengths.Draw(rng);
            if (i > 0) t += -Math.Log(1 - rng.NextDouble()) / rate;
            list[i] = new TraceRequest(t, isl, osl);
        }
        return new RequestTrace(FormattableString.Invariant($"Poisson at {rate} req/s"), TraceFormat.PlainCsv, list);
    }
}
