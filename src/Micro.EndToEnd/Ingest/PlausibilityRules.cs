using System.Globalization;
using Micro.Core.Results;

namespace Micro.EndToEnd.Ingest;

/// <summary>
/// What a vLLM result must satisfy to be reported on: each rule states why, and whether a breach is an error (the file
/// contradicts itself so no figure in it can be trusted: one line, exit 2, or the file skipped in a sweep folder) or
/// a warning (the figures stand but one of them is doubtful: said on the console and in analysis.json). The parser
/// has already refused non-finite and negative figures and counts past their type.
/// </summary>
public static class PlausibilityRules
{
    /// <summary>Counts and sums of per-request arrays against the stated totals: rounding in the JSON is far below this.</summary>
    public const double ThroughputTolerance = 0.02;
    /// <summary>Stated throughputs are vLLM's quotients (completed / duration ...): apart by more than this factor is a
    /// warning (hand-edited or merged files), by more than <see cref="QuotientErrorFactor"/> an error (a figure is absurd).</summary>
    public const double QuotientWarningFactor = 2;
    public const double QuotientErrorFactor = 10;
    /// <summary>Token totals above this (10^15, a million GPU-years of decoding) are not a benchmark run.</summary>
    public const long MaxTokens = 1_000_000_000_000_000;
    /// <summary>A benchmark longer than a year (in seconds) is not one run.</summary>
    public const double MaxDurationSeconds = 365 * 86_400.0;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The warnings of a point; throws InputException for the first error.</summary>
    public static IReadOnlyList<string> Check(BenchmarkPoint p, string file, string? line)
    {
        var warnings = new List<string>();
        string F(string field) => line is null ? field : $"{line}: {field}";
        InputException Error(string field, string reason) => new(file, F(field), reason);
        void Warn(string field, string reason) => warnings.Add($"{file}: {F(field)}: {reason}");

        if (p.Duration > MaxDurationSeconds)
            throw Error("duration", $"{G(p.Duration)} s is more than a year: not one benchmark run");
        if (p.TotalInputTokens > MaxTokens || p.TotalOutputTokens > MaxTokens)
            throw Error(p.TotalInputTokens > MaxTokens ? "total_input_tokens" : "total_output_tokens", $"more than {MaxTokens:N0} tokens: not one benchmark run");
        if (p.NumPrompts is { } sent && p.Completed + (p.Failed ?? 0) > sent)
            throw Error("completed", $"{p.Completed:N0} completed{(p.Failed is { } f ? $" + {f:N0} failed" : "")} is more than the {sent:N0} requests sent (num_prompts)");
        if (p.MaxConcurrency == 0)
            throw Error("max_concurrency", "is 0: no request could have been in flight (vLLM writes null for no limit)");

        // Stated quotients against the totals they are computed from: a duration of 5e-324 beside 0.45 req/s is caught here.
        Quotient("request_throughput", p.RequestThroughput, p.Completed / p.Duration, "completed / duration");
        Quotient("output_throughput", p.OutputThroughput, p.TotalOutputTokens / p.Duration, "total_output_tokens / duration");
        Quotient("total_token_throughput", p.TotalTokenThroughput, ((double)p.TotalInputTokens + p.TotalOutputTokens) / p.Duration,
            "(total_input_tokens + total_output_tokens) / duration");
        if (p.RequestGoodput is { } good && good > p.RequestThroughput * (1 + ThroughputTolerance))
            throw Error("request_goodput", $"{G(good)} req/s is more than the request_throughput {G(p.RequestThroughput)}: more requests met the SLO than completed");

        // Percentiles rise with their rank: a p99 below the median is not a percentile of the same requests.
        foreach (var metric in p.StatedMs.Keys.Select(k => k.Metric).Distinct())
        {
            var ranked = p.StatedMs.Where(kv => kv.Key.Metric == metric && StatedMetricKey.PercentileOf(kv.Key.Stat) is not null)
                .Select(kv => (Stat: kv.Key.Stat, Rank: StatedMetricKey.PercentileOf(kv.Key.Stat)!.Value, Value: kv.Value)).OrderBy(x => x.Rank).ToList();
            for (var i = 1; i < ranked.Count; i++)
                if (ranked[i].Value < ranked[i - 1].Value * (1 - 1e-9))
                    throw Error($"{ranked[i].Stat}_{metric}_ms", $"{G(ranked[i].Value)} ms is below the {ranked[i - 1].Stat} of {G(ranked[i - 1].Value)} ms: percentiles must not decrease");
        }
        // No request's latency exceeds the whole run, so neither does any statistic of them (mean and std included).
        foreach (var ((metric, stat), value) in p.StatedMs)
            if (value > p.Duration * 1000 * (1 + ThroughputTolerance) + 1000)
                throw Error($"{stat}_{metric}_ms", $"{G(value)} ms is longer than the whole run ({G(p.Duration)} s)");

        if (p.Requests is { } r) Arrays(p, r, Error, Warn);
        return warnings;

        void Quotient(string field, double stated, double expected, string formula)
        {
            if (!double.IsFinite(expected))
                throw Error(field, $"{formula} is not a finite number (duration {G(p.Duration)} s)");
            var (lo, hi) = (Math.Min(stated, expected), Math.Max(stated, expected));
            if (hi <= 1e-12) return;
            var factor = lo <= 0 ? double.PositiveInfinity : hi / lo;
            if (factor > QuotientErrorFactor)
                throw Error(field, $"{G(stated)} disagrees with {formula} = {G(expected)} (more than {QuotientErrorFactor}x apart): the file contradicts itself");
            if (factor > QuotientWarningFactor)
                Warn(field, $"{G(stated)} disagrees with {formula} = {G(expected)} (more than {QuotientWarningFactor}x apart); the stated figure is used");
        }
    }

    private static void Arrays(BenchmarkPoint p, RequestArrays r, Func<string, string, InputException> error, Action<string, string> warn)
    {
        var n = r.Count;
        var ok = 0;
        long inSum = 0, outSum = 0;
        var shortOutputs = 0;
        for (var i = 0; i < n; i++)
        {
            if (r.Failed[i]) continue;
            ok++;
            inSum += r.InputLens[i];
            outSum += r.OutputLens[i];
            if (r.OutputLens[i] <= 1) shortOutputs++;
        }
        if (ok == 0) throw error("errors", $"every one of the {n:N0} requests failed: there is no latency to analyze");
        if (n < p.Completed) throw error("ttfts", $"has {n:N0} entries but {p.Completed:N0} requests completed");
        if (ok != p.Completed) warn("completed", $"{p.Completed:N0} completed but the per-request arrays hold {ok:N0} successful requests");
        if (p.Failed is { } failed && n != p.Completed + failed)
            warn("ttfts", $"{n:N0} per-request entries, not completed + failed = {p.Completed + failed:N0}");
        if (outSum != p.TotalOutputTokens && Math.Abs(outSum - p.TotalOutputTokens) > ThroughputTolerance * Math.Max(outSum, p.TotalOutputTokens))
            warn("total_output_tokens", $"{p.TotalOutputTokens:N0} but the successful requests' output_lens sum to {outSum:N0}");
        if (r.InputLens.Any(x => x > 0) && inSum != p.TotalInputTokens && Math.Abs(inSum - p.TotalInputTokens) > ThroughputTolerance * Math.Max(inSum, p.TotalInputTokens))
            warn("total_input_tokens", $"{p.TotalInputTokens:N0} but the successful requests' input_lens sum to {inSum:N0}");
        if (shortOutputs == ok)
            warn("output_lens", "every successful request produced at most 1 token: TPOT and ITL are undefined for them, so decode figures mean nothing");
        var limit = p.Duration * (1 + ThroughputTolerance) + 1;
        for (var i = 0; i < n; i++)
        {
            if (r.Ttfts[i] > limit) throw error($"ttfts[{i}]", $"{G(r.Ttfts[i])} s is longer than the whole run ({G(p.Duration)} s)");
            if (r.Latencies is { } l && l[i] > limit) throw error($"latencies[{i}]", $"{G(l[i])} s is longer than the whole run ({G(p.Duration)} s)");
        }
        for (var i = 0; i < r.ItlFlat.Length; i++)
            if (r.ItlFlat[i] > limit) throw error("itls", $"an inter-token gap of {G(r.ItlFlat[i])} s is longer than the whole run ({G(p.Duration)} s)");
    }

    private static string G(double v) => v.ToString("G4", C);
}
